//! The read cache of a case's transactions: each transaction read from the file once, then
//! shared from memory.
//!
//! A stored transaction never changes (the first stored version is kept), so an entry cannot go
//! stale. Entries are shared ([`Arc`]), so a look-up copies nothing, and are found by `&str`
//! (chain, then txid), so a look-up allocates nothing. Bounded: past [`TX_CACHE_LIMIT`] entries
//! the cache starts over.

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::Tx;

/// At most this many transactions are kept in a case's read cache.
pub(crate) const TX_CACHE_LIMIT: usize = 200_000;

#[derive(Debug, Default)]
pub(crate) struct TxCache {
    /// Chain (CAIP-2) → txid → transaction.
    by_chain: HashMap<String, HashMap<String, Arc<Tx>>>,
    len: usize,
}

impl TxCache {
    pub(crate) fn get(&self, chain: &str, txid: &str) -> Option<Arc<Tx>> {
        self.by_chain.get(chain)?.get(txid).cloned()
    }

    pub(crate) fn insert(&mut self, tx: Arc<Tx>) {
        if self.len >= TX_CACHE_LIMIT {
            self.by_chain.clear();
            self.len = 0;
        }
        let previous = self
            .by_chain
            .entry(tx.chain.clone())
            .or_default()
            .insert(tx.txid.clone(), tx);
        if previous.is_none() {
            self.len += 1;
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Confirmation;

    fn tx(chain: &str, txid: &str) -> Arc<Tx> {
        Arc::new(Tx {
            chain: chain.to_string(),
            txid: txid.to_string(),
            version: 2,
            locktime: 0,
            size: None,
            weight: None,
            fee: None,
            confirmation: Confirmation::default(),
            inputs: Vec::new(),
            outputs: Vec::new(),
        })
    }

    #[test]
    fn entries_are_found_by_chain_and_txid_and_bounded() {
        let mut cache = TxCache::default();
        cache.insert(tx("a", "1"));
        cache.insert(tx("b", "1"));
        cache.insert(tx("a", "1"));
        assert_eq!(cache.len(), 2, "the same (chain, txid) twice is one entry");
        assert_eq!(
            cache.get("b", "1").map(|t| t.chain.clone()),
            Some("b".to_string()),
            "the same txid on two chains is two transactions"
        );
        assert!(cache.get("a", "2").is_none(), "an unknown txid is a miss");
        for i in 0..TX_CACHE_LIMIT {
            cache.insert(tx("c", &i.to_string()));
        }
        assert!(
            cache.len() <= TX_CACHE_LIMIT,
            "the cache never holds more than its limit: {}",
            cache.len()
        );
    }
}
