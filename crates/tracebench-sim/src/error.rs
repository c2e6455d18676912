//! Errors of the simulator.

use std::net::SocketAddr;

/// Everything that can go wrong when serving a synthetic chain.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The listening socket could not be bound.
    #[error("cannot bind the simulator's HTTP server to {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The server's runtime or thread could not be started.
    #[error("cannot start the simulator's HTTP server: {0}")]
    Start(#[source] std::io::Error),
    /// The server stopped with an error.
    #[error("the simulator's HTTP server failed: {0}")]
    Serve(String),
}
