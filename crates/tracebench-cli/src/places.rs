//! Where Tracebench keeps its files: `TRACEBENCH_DATA_DIR` / `TRACEBENCH_CONFIG_DIR` when set,
//! else the platform's usual places (XDG on Linux).

use std::path::PathBuf;

use anyhow::Context;

fn project() -> anyhow::Result<directories::ProjectDirs> {
    directories::ProjectDirs::from("org", "Tracebench", "tracebench")
        .context("no home directory: set TRACEBENCH_DATA_DIR and TRACEBENCH_CONFIG_DIR")
}

pub fn data_dir() -> anyhow::Result<PathBuf> {
    match std::env::var_os("TRACEBENCH_DATA_DIR") {
        Some(d) if !d.is_empty() => Ok(PathBuf::from(d)),
        _ => Ok(project()?.data_dir().to_path_buf()),
    }
}

pub fn config_dir() -> anyhow::Result<PathBuf> {
    match std::env::var_os("TRACEBENCH_CONFIG_DIR") {
        Some(d) if !d.is_empty() => Ok(PathBuf::from(d)),
        _ => Ok(project()?.config_dir().to_path_buf()),
    }
}

/// Where `case new` puts a case when no --case is given: `<data dir>/cases/<slug>.tbcase`.
pub fn default_case_path(title: &str) -> anyhow::Result<PathBuf> {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        "case".to_string()
    } else {
        slug
    };
    let dir = data_dir()?.join("cases");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir.join(format!("{slug}.tbcase")))
}
