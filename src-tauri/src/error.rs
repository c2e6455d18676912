//! The one error type that crosses the IPC boundary: `{ code, message }`.
//!
//! The UI branches on `code` (never on the message) and shows `message` to the investigator as
//! text. Core errors keep their own code; the shell adds codes only for what it does itself.

use serde::Serialize;
use tracebench_core::api::ApiError;
use tracebench_labels::LabelError;

#[derive(Debug, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
}

impl CommandError {
    /// A command that needs an open case was called before one was opened.
    pub fn no_case() -> Self {
        CommandError {
            code: "no_case",
            message: "no case is open: open the demo case or a case file first".into(),
        }
    }

    /// Reading or writing a file of the shell's own (recent cases, exported report) failed.
    pub fn io(what: impl std::fmt::Display, err: impl std::fmt::Display) -> Self {
        CommandError {
            code: "io",
            message: format!("{what}: {err}"),
        }
    }

    /// The UI sent something the shell refuses.
    pub fn invalid(message: impl Into<String>) -> Self {
        CommandError {
            code: "invalid_input",
            message: message.into(),
        }
    }

    /// Starting the demo's synthetic data source failed.
    pub fn demo(err: impl std::fmt::Display) -> Self {
        CommandError {
            code: "source_unavailable",
            message: format!("the demo's synthetic chain could not be served: {err}"),
        }
    }
}

impl From<ApiError> for CommandError {
    fn from(err: ApiError) -> Self {
        CommandError {
            code: err.code(),
            message: err.to_string(),
        }
    }
}

/// Label-store errors, with codes in the core's vocabulary: a damaged or foreign store is
/// `labels_invalid` (the investigator must replace the file), a rejected import `invalid_input`.
impl From<LabelError> for CommandError {
    fn from(err: LabelError) -> Self {
        let code = match &err {
            LabelError::NotSqlite { .. }
            | LabelError::Foreign { .. }
            | LabelError::TooNew { .. }
            | LabelError::Corrupt { .. } => "labels_invalid",
            LabelError::Invalid { .. }
            | LabelError::Unreadable { .. }
            | LabelError::Older { .. }
            | LabelError::Options(_)
            | LabelError::Trace(_) => "invalid_input",
            LabelError::Case(api) => api.code(),
            LabelError::Io { .. } => "io",
            _ => "storage",
        };
        CommandError {
            code,
            message: err.to_string(),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_code_and_message() {
        let err = CommandError::from(ApiError::NotFound {
            what: "node",
            id: "btc:addr:bc1qxyz".into(),
        });
        assert_eq!(err.code, "not_found", "the UI branches on the core's code");
        assert!(
            err.message.contains("btc:addr:bc1qxyz"),
            "the message names what was wrong: {}",
            err.message
        );
    }

    #[test]
    fn label_store_errors_say_which_file_and_why() {
        let err = CommandError::from(LabelError::Foreign {
            path: "/data/labels.sqlite".into(),
            found: 0x5442_4331,
        });
        assert_eq!(
            err.code, "labels_invalid",
            "a foreign file where the store should be is the store's problem, not the case's"
        );
        assert!(
            err.message.contains("/data/labels.sqlite"),
            "the message names the file: {}",
            err.message
        );
    }

    #[test]
    fn core_errors_inside_label_errors_keep_the_core_code() {
        let err = CommandError::from(LabelError::Case(ApiError::NotFound {
            what: "address",
            id: "bc1qxyz".into(),
        }));
        assert_eq!(
            err.code, "not_found",
            "exposure of an address not in the case is the core's not_found, as for any command"
        );
    }

    #[test]
    fn serialises_as_code_and_message_only() {
        let json = serde_json::to_value(CommandError::no_case()).unwrap();
        assert_eq!(
            json.as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["code".to_string(), "message".to_string()]),
            "the IPC contract is exactly {{code, message}}"
        );
        assert_eq!(json["code"], "no_case", "a shell error has a shell code");
    }
}
