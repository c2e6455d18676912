//! The page-by-page check of an opened case file (`PRAGMA quick_check`), run on a thread of its
//! own so that opening a big case shows its canvas without waiting for it (on a 50,000-tx case
//! it was most of the time `Case::open` took). The cheap checks (SQLite header, application id,
//! schema version, case metadata) still run before `Case::open` returns, and a file that a
//! migration or a journal switch would write to is checked whole first. Until the verdict is in,
//! the case is not written to: its first write waits for the verdict, and a damaged file refuses
//! every write (`CaseError::Corrupt`), so nothing is ever written to a file that failed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use rusqlite::{Connection, OpenFlags};

use super::file_check::{quick_check, FileCheckError};
use super::CaseError;

/// What the check found: `Err` holds SQLite's first finding.
type Verdict = Result<(), String>;

struct Shared {
    path: PathBuf,
    verdict: Mutex<Option<Verdict>>,
    done: Condvar,
}

/// A case file's page check, already passed or running on its own thread. Clones watch the
/// same check, so the app can wait for the verdict without holding the case.
#[derive(Clone)]
pub struct IntegrityWatch(Arc<Shared>);

impl std::fmt::Debug for IntegrityWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntegrityWatch")
            .field("path", &self.0.path)
            .field("verdict", &self.verdict_if_done())
            .finish()
    }
}

impl IntegrityWatch {
    fn with(path: &Path, verdict: Option<Verdict>) -> IntegrityWatch {
        IntegrityWatch(Arc::new(Shared {
            path: path.to_path_buf(),
            verdict: Mutex::new(verdict),
            done: Condvar::new(),
        }))
    }

    /// The file at `path` passed (checked whole before opening, or just created by this build).
    pub(crate) fn passed(path: &Path) -> IntegrityWatch {
        IntegrityWatch::with(path, Some(Ok(())))
    }

    /// Starts checking the file at `path` on a thread of its own, through a read-only connection.
    pub(crate) fn start(path: &Path) -> IntegrityWatch {
        let watch = IntegrityWatch::with(path, None);
        let shared = watch.0.clone();
        let spawned = std::thread::Builder::new()
            .name("case-integrity".to_string())
            .spawn(move || {
                let verdict = std::panic::catch_unwind(|| check_pages(&shared.path))
                    .unwrap_or_else(|_| Err("the page check stopped unexpectedly".to_string()));
                settle(&shared, verdict);
            });
        if spawned.is_err() {
            // No thread to be had: check here and now.
            settle(&watch.0, check_pages(path));
        }
        watch
    }

    /// The verdict, waiting for it while the check runs: `CaseError::Corrupt` naming the damage.
    pub fn wait(&self) -> Result<(), CaseError> {
        let mut verdict = self
            .0
            .verdict
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while verdict.is_none() {
            verdict = self
                .0
                .done
                .wait(verdict)
                .unwrap_or_else(PoisonError::into_inner);
        }
        self.as_case_error(verdict.clone().unwrap_or(Ok(())))
    }

    /// The verdict if it is in (`None` while the check runs), without waiting.
    pub fn verdict_if_done(&self) -> Option<Result<(), CaseError>> {
        let verdict = self
            .0
            .verdict
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        verdict.map(|v| self.as_case_error(v))
    }

    fn as_case_error(&self, verdict: Verdict) -> Result<(), CaseError> {
        verdict.map_err(|detail| CaseError::Corrupt {
            path: self.0.path.clone(),
            detail,
        })
    }
}

fn settle(shared: &Shared, verdict: Verdict) {
    *shared
        .verdict
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = Some(verdict);
    shared.done.notify_all();
}

/// `quick_check` of the file at `path` through a connection of its own.
fn check_pages(path: &Path) -> Verdict {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| e.to_string())?;
    quick_check(&conn).map_err(|e| match e {
        FileCheckError::Corrupt(detail) => detail,
        other => format!("{other:?}"),
    })
}
