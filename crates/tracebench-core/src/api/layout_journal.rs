//! Node positions and the viewport saved while the case is busy.
//!
//! In the app, the open case sits behind one async mutex (`src-tauri/src/session.rs`), and a
//! command that fetches over the network (add, paste, an expansion page) holds it, and the case's
//! write transaction, until its answers are stored: seconds with a public API, more with a rate
//! limit. Autosave
//! promises that killing the app loses at most the last second of work, so a position or viewport
//! change must not wait for that. When `set_positions` or `set_viewport` cannot have the case at
//! once, the change goes to a journal beside the case file instead (`<case>.layout-journal`, one
//! JSON line per change, synced to disk before the command answers). The journal is applied to
//! the case, in order, as soon as the case is free: by a task that waits for it, before the next
//! position or viewport write that gets the case, and when the case is opened (after a crash).
//! Then the file is removed. The CLI applies a journal the app left (killed while the case was
//! busy) before it exports the case as a bundle, so the bundle holds the last layout too.
//!
//! Positions and viewports are states, not increments: applying an entry twice (a crash between
//! applying and removing) leaves the same case. A last line cut short by a crash mid-write is the
//! change being written when the app died and is skipped; any other unreadable line stops the
//! replay before anything is applied, with an error naming the file and line, and the journal is
//! kept for inspection.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{ApiError, NodePosition, Viewport, Workbench};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One change waiting for the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    Positions(Vec<NodePosition>),
    Viewport { view: Viewport, at: DateTime<Utc> },
}

impl Entry {
    /// The checks the case would make that need no case (finite numbers, the zoom's range), so
    /// bad input is refused at once rather than journaled.
    pub fn check(&self) -> Result<(), ApiError> {
        match self {
            Entry::Positions(p) => NodePosition::check_all(p),
            Entry::Viewport { view, .. } => view.check(),
        }
    }

    /// Writes the change into the case.
    pub fn apply(&self, workbench: &mut Workbench) -> Result<(), ApiError> {
        match self {
            Entry::Positions(p) => workbench.set_positions(p),
            Entry::Viewport { view, at } => workbench.set_viewport(*view, *at),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("could not write the layout journal {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not read the layout journal {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the layout journal {path} has an unreadable line {line} ({reason}); it is kept and none of its changes were applied")]
    Unreadable {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("the case refused {refused} of the {applied} saved layout changes in {path}: {first}")]
    Refused {
        path: PathBuf,
        applied: usize,
        refused: usize,
        /// The case's reason for the first change it refused.
        first: String,
    },
}

/// The journal file of a case file.
pub fn path_for(case: &Path) -> PathBuf {
    let mut name = case.as_os_str().to_owned();
    name.push(".layout-journal");
    PathBuf::from(name)
}

/// Serialises appending to and replaying a journal, so a replay never removes a line written
/// after it read the file. The flag it guards says whether this session appended a change that
/// no replay has taken yet, so the writes of a free case do not look for a journal each time.
#[derive(Default)]
pub struct LayoutJournal {
    appended: Mutex<bool>,
}

impl LayoutJournal {
    /// Appends `entry` to the journal of `case` and syncs it to disk.
    pub fn append(&self, case: &Path, entry: &Entry) -> Result<(), JournalError> {
        let path = path_for(case);
        let write = |source| JournalError::Write {
            path: path.clone(),
            source,
        };
        let mut line = serde_json::to_vec(entry).map_err(|e| write(e.into()))?;
        line.push(b'\n');
        let mut appended = self.lock();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(write)?;
        file.write_all(&line).map_err(write)?;
        file.sync_data().map_err(write)?;
        *appended = true;
        Ok(())
    }

    /// Whether a change appended in this session may still wait in a journal. A journal left
    /// by an earlier run is found by [`LayoutJournal::replay`] when its case is opened.
    pub fn pending(&self) -> bool {
        *self.lock()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, bool> {
        self.appended
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Applies the journal of the workbench's case file, if there is one, in order, and removes
    /// it. Returns how many changes were applied.
    pub fn replay(&self, workbench: &mut Workbench) -> Result<usize, JournalError> {
        let path = path_for(Path::new(&workbench.info().path));
        let mut appended = self.lock();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Another case's journal (the case was switched) waits for that case's opening.
                *appended = false;
                return Ok(0);
            }
            Err(source) => return Err(JournalError::Read { path, source }),
        };
        let entries = parse(&path, &bytes)?;
        let mut refused = Vec::new();
        for entry in &entries {
            if let Err(e) = entry.apply(workbench) {
                refused.push(e);
            }
        }
        std::fs::remove_file(&path).map_err(|source| JournalError::Write {
            path: path.clone(),
            source,
        })?;
        *appended = false;
        match refused.len() {
            0 => Ok(entries.len()),
            n => Err(JournalError::Refused {
                path,
                applied: entries.len(),
                refused: n,
                first: refused.remove(0).to_string(),
            }),
        }
    }
}

/// The journal's entries; a last line without its newline (cut short by a crash) is skipped.
fn parse(path: &Path, bytes: &[u8]) -> Result<Vec<Entry>, JournalError> {
    let complete = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(end) => &bytes[..=end],
        None => &[][..],
    };
    complete
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
        .map(|(i, line)| {
            serde_json::from_slice(line).map_err(|e| JournalError::Unreadable {
                path: path.to_path_buf(),
                line: i + 1,
                reason: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::NewCase;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn view(zoom: f64) -> Entry {
        Entry::Viewport {
            view: Viewport {
                zoom,
                pan_x: 10.0,
                pan_y: -20.0,
            },
            at: at("2026-11-22T17:00:00Z"),
        }
    }

    /// A new case file with nothing on its canvas (viewport writes need no node).
    fn workbench(dir: &Path) -> Workbench {
        let meta = NewCase {
            title: "Journal test".into(),
            investigator: "tester".into(),
            agency: "test".into(),
            network: Default::default(),
        };
        let now = at("2026-11-22T16:00:00Z");
        Workbench::create_by("tester", &dir.join("j.tbcase"), meta, None, now).unwrap()
    }

    /// A new case with a journal holding `first`, then `raw` bytes written after it as they are.
    fn journal_with(dir: &Path, first: &Entry, raw: &[u8]) -> (Workbench, PathBuf, LayoutJournal) {
        let wb = workbench(dir);
        let case = PathBuf::from(wb.info().path);
        let journal = LayoutJournal::default();
        journal.append(&case, first).unwrap();
        let mut file = OpenOptions::new()
            .append(true)
            .open(path_for(&case))
            .unwrap();
        file.write_all(raw).unwrap();
        (wb, case, journal)
    }

    #[test]
    fn changes_written_while_the_case_was_busy_reach_it_in_order_and_the_journal_goes() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = workbench(dir.path());
        let case = PathBuf::from(wb.info().path);
        let journal = LayoutJournal::default();
        journal.append(&case, &view(0.5)).unwrap();
        journal.append(&case, &view(2.0)).unwrap();
        assert!(
            path_for(&case).exists(),
            "the journal is on disk before the case is free"
        );
        assert_eq!(journal.replay(&mut wb).unwrap(), 2);
        // The later change wins, as it would have had both been written straight to the case.
        assert_eq!(wb.viewport().unwrap().map(|v| v.zoom), Some(2.0));
        assert!(!path_for(&case).exists(), "a replayed journal is removed");
        assert_eq!(
            journal.replay(&mut wb).unwrap(),
            0,
            "no journal, nothing to do"
        );
    }

    #[test]
    fn a_journal_survives_the_app_and_reaches_the_case_when_it_is_opened_again() {
        // The app was killed while the case was busy: the journal is all there is of the last
        // changes. A new session (a new LayoutJournal, the case opened again) applies it.
        let dir = tempfile::tempdir().unwrap();
        let wb = workbench(dir.path());
        let case = PathBuf::from(wb.info().path);
        drop(wb);
        LayoutJournal::default().append(&case, &view(1.5)).unwrap();
        let mut reopened = Workbench::open(&case, None).unwrap();
        assert_eq!(LayoutJournal::default().replay(&mut reopened).unwrap(), 1);
        assert_eq!(reopened.viewport().unwrap().map(|v| v.zoom), Some(1.5));
    }

    #[test]
    fn a_line_cut_short_by_a_crash_is_skipped_and_the_rest_applied() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _, journal) =
            journal_with(dir.path(), &view(0.75), br#"{"viewport":{"view":{"zoom":3"#);
        assert_eq!(
            journal.replay(&mut wb).unwrap(),
            1,
            "only the whole line counts"
        );
        assert_eq!(wb.viewport().unwrap().map(|v| v.zoom), Some(0.75));
    }

    #[test]
    fn an_unreadable_line_stops_the_replay_names_the_line_and_keeps_the_journal() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, case, journal) = journal_with(dir.path(), &view(0.75), b"not json\n");
        let err = journal.replay(&mut wb).unwrap_err();
        assert!(
            matches!(err, JournalError::Unreadable { line: 2, .. }),
            "the error names line 2: {err}"
        );
        assert!(
            path_for(&case).exists(),
            "a journal that cannot be read is kept"
        );
        assert_eq!(
            wb.viewport().unwrap(),
            None,
            "nothing of a bad journal is applied"
        );
    }

    #[test]
    fn a_change_the_case_refuses_is_reported_and_the_others_are_kept() {
        // Positions of a node no longer on the canvas (removed while the change waited) are
        // refused by the case; the viewport change beside them still reaches it.
        let dir = tempfile::tempdir().unwrap();
        let mut wb = workbench(dir.path());
        let case = PathBuf::from(wb.info().path);
        let journal = LayoutJournal::default();
        let gone = Entry::Positions(vec![NodePosition {
            id: "btc:addr:1BoatSLRHtKNngkdXEeobR76b53LETtpyT".into(),
            x: 1.0,
            y: 2.0,
        }]);
        journal.append(&case, &gone).unwrap();
        journal.append(&case, &view(1.25)).unwrap();
        let err = journal.replay(&mut wb).unwrap_err();
        assert!(
            matches!(
                err,
                JournalError::Refused {
                    applied: 2,
                    refused: 1,
                    ..
                }
            ),
            "one of two refused: {err}"
        );
        assert_eq!(wb.viewport().unwrap().map(|v| v.zoom), Some(1.25));
        assert!(
            !path_for(&case).exists(),
            "what could be applied was; the journal is done"
        );
    }

    #[test]
    fn bad_numbers_are_refused_before_anything_is_journaled() {
        assert!(
            view(f64::NAN).check().is_err(),
            "a zoom that is not a number"
        );
        assert!(view(0.0).check().is_err(), "a zoom outside the range");
        let nan = Entry::Positions(vec![NodePosition {
            id: "n".into(),
            x: f64::INFINITY,
            y: 0.0,
        }]);
        let err = nan.check().unwrap_err().to_string();
        assert!(
            err.contains("position of n"),
            "the error names the node: {err}"
        );
        assert!(view(1.0).check().is_ok());
    }
}
