//! The recent-cases list shown on the start screen, kept as JSON in the config dir.
//!
//! Most recent first, one entry per path, at most [`MAX_RECENT`] entries. A missing or unreadable
//! file is an empty list: losing the list must never stop a case from opening.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const MAX_RECENT: usize = 10;
const FILE_NAME: &str = "recent-cases.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentCase {
    pub path: String,
    pub title: String,
    pub case_id: String,
    pub opened_utc: String,
}

pub fn load(config_dir: &Path) -> Vec<RecentCase> {
    std::fs::read(file(config_dir))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Puts `case` at the top of the list (replacing an older entry for the same path) and saves it.
pub fn remember(config_dir: &Path, case: RecentCase) -> std::io::Result<Vec<RecentCase>> {
    let mut cases = load(config_dir);
    cases.retain(|c| c.path != case.path);
    cases.insert(0, case);
    cases.truncate(MAX_RECENT);
    std::fs::create_dir_all(config_dir)?;
    let json = serde_json::to_vec_pretty(&cases).map_err(std::io::Error::other)?;
    let tmp = config_dir.join(format!("{FILE_NAME}.tmp"));
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, file(config_dir))?;
    Ok(cases)
}

fn file(config_dir: &Path) -> PathBuf {
    config_dir.join(FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(path: &str) -> RecentCase {
        RecentCase {
            path: path.into(),
            title: format!("title of {path}"),
            case_id: "c".into(),
            opened_utc: "2024-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn reopening_moves_a_case_to_the_top_without_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        remember(dir.path(), case("/a")).unwrap();
        remember(dir.path(), case("/b")).unwrap();
        let list = remember(dir.path(), case("/a")).unwrap();
        let paths: Vec<_> = list.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["/a", "/b"], "most recent first, one entry per path");
        assert_eq!(load(dir.path()), list, "the saved list reads back the same");
    }

    #[test]
    fn the_list_is_bounded() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..MAX_RECENT + 3 {
            remember(dir.path(), case(&format!("/{i}"))).unwrap();
        }
        assert_eq!(
            load(dir.path()).len(),
            MAX_RECENT,
            "old entries fall off the end"
        );
    }

    #[test]
    fn a_corrupt_file_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").unwrap();
        assert!(
            load(dir.path()).is_empty(),
            "a broken list must not block opening cases"
        );
    }
}
