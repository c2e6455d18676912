//! What the app was asked to open at start, from its command line.
//!
//! `tracebench-app --demo` opens the demo case, `tracebench-app --case FILE [--source-url URL]`
//! opens a case file (offline unless a source URL is given), and no arguments show the start
//! screen. Arguments the shell does not know are reported and ignored: WebKitWebDriver, for one,
//! launches the app with an extra `--automation` flag.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{bail, Context};
use serde::Serialize;

/// The case to open at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Launch {
    /// Show the start screen.
    Start,
    /// Open (or create) the demo case over the in-process synthetic chain.
    Demo,
    /// Open a case file.
    Case {
        path: PathBuf,
        /// An Esplora base URL to fetch missing data from; `None` keeps the case offline.
        source_url: Option<String>,
    },
}

impl Launch {
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> anyhow::Result<Launch> {
        let mut demo = false;
        let mut case = None;
        let mut source_url = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.to_str() {
                Some("--demo") => demo = true,
                Some("--case") => {
                    let path = args.next().context("--case needs a case file path")?;
                    case = Some(PathBuf::from(path));
                }
                Some("--source-url") => {
                    let url = args
                        .next()
                        .context("--source-url needs an Esplora base URL")?;
                    let url = url
                        .into_string()
                        .map_err(|_| anyhow::anyhow!("--source-url is not valid UTF-8"))?;
                    source_url = Some(url);
                }
                _ => eprintln!("tracebench-app: ignoring argument {arg:?}"),
            }
        }
        match (demo, case) {
            (true, Some(_)) => bail!("--demo and --case cannot be used together"),
            (true, None) => Ok(Launch::Demo),
            (false, Some(path)) => Ok(Launch::Case { path, source_url }),
            (false, None) if source_url.is_some() => bail!("--source-url needs --case FILE"),
            (false, None) => Ok(Launch::Start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> anyhow::Result<Launch> {
        Launch::from_args(args.iter().map(OsString::from))
    }

    #[test]
    fn no_arguments_show_the_start_screen() {
        assert_eq!(
            parse(&[]).unwrap(),
            Launch::Start,
            "no arguments: let the investigator choose"
        );
    }

    #[test]
    fn demo_flag_survives_webdriver_extra_flags() {
        assert_eq!(
            parse(&["--automation", "--demo"]).unwrap(),
            Launch::Demo,
            "WebKitWebDriver adds --automation, which must not stop the demo from opening"
        );
    }

    #[test]
    fn case_takes_a_path_and_an_optional_source() {
        assert_eq!(
            parse(&[
                "--case",
                "/tmp/a.tbcase",
                "--source-url",
                "http://127.0.0.1:3000"
            ])
            .unwrap(),
            Launch::Case {
                path: PathBuf::from("/tmp/a.tbcase"),
                source_url: Some("http://127.0.0.1:3000".into())
            },
            "--case opens the file, --source-url makes it online"
        );
    }

    #[test]
    fn contradictory_or_incomplete_arguments_are_refused() {
        assert!(
            parse(&["--demo", "--case", "x.tbcase"]).is_err(),
            "demo and case conflict"
        );
        assert!(
            parse(&["--case"]).is_err(),
            "--case without a path is an error"
        );
        assert!(
            parse(&["--source-url", "http://x"]).is_err(),
            "a source without a case is an error"
        );
    }
}
