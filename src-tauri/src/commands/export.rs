//! Exporting the canvas: PNG and SVG pictures of the current view (drawn by the UI), and the
//! visible transfers as CSV (written by the core). Each written file is recorded in the case's
//! audit log with its SHA-256, as the report is.
//!
//! With `TRACEBENCH_EXPORT_DIR` set the file goes to `<dir>/<case_id>-<name>` without a dialog.

use chrono::Utc;
use tauri::{AppHandle, State};

use crate::error::CommandError;
use crate::session::Session;

/// The eight bytes every PNG file starts with.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// A picture of the canvas the UI drew, by format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Picture {
    Png,
    Svg,
}

impl Picture {
    fn parse(format: &str) -> Result<Picture, CommandError> {
        match format {
            "png" => Ok(Picture::Png),
            "svg" => Ok(Picture::Svg),
            other => Err(CommandError::invalid(format!(
                "picture format '{other}' is not one of png, svg"
            ))),
        }
    }

    /// Refuses bytes that are not a picture of this format, naming what is wrong.
    fn check(self, bytes: &[u8]) -> Result<(), CommandError> {
        match self {
            Picture::Png if bytes.starts_with(&PNG_SIGNATURE) => Ok(()),
            Picture::Png => Err(CommandError::invalid(
                "the PNG picture does not start with the PNG signature; nothing written",
            )),
            Picture::Svg => {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    CommandError::invalid("the SVG picture is not UTF-8 text; nothing written")
                })?;
                if text.contains("<svg") {
                    Ok(())
                } else {
                    Err(CommandError::invalid(
                        "the SVG picture holds no <svg> element; nothing written",
                    ))
                }
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Picture::Png => "png",
            Picture::Svg => "svg",
        }
    }

    fn filter(self) -> &'static str {
        match self {
            Picture::Png => "PNG image",
            Picture::Svg => "SVG image",
        }
    }
}

/// Writes a picture of the current view (`format`: `png` or `svg`) and returns its path;
/// `None` when the save dialog was cancelled.
#[tauri::command]
pub async fn export_view_picture(
    app: AppHandle,
    session: State<'_, Session>,
    format: String,
    bytes: Vec<u8>,
) -> Result<Option<String>, CommandError> {
    let picture = Picture::parse(&format)?;
    picture.check(&bytes)?;
    let ext = picture.name();
    let file = Export {
        suffix: format!("view.{ext}"),
        title: "Export a picture of the canvas",
        filter: picture.filter(),
        ext,
        kind: format!("canvas-{ext}"),
    };
    file.write(&app, &session, &bytes).await
}

/// Writes the transfers between the visible nodes (`visible`: canvas node ids) as CSV and
/// returns its path; `None` when the save dialog was cancelled.
#[tauri::command]
pub async fn export_view_csv(
    app: AppHandle,
    session: State<'_, Session>,
    visible: Vec<String>,
) -> Result<Option<String>, CommandError> {
    let csv = {
        let case = session.case().await;
        let workbench = case.as_ref().ok_or_else(CommandError::no_case)?;
        tracebench_core::api::transfers_csv(workbench.case(), &visible)?
    };
    let file = Export {
        suffix: "transfers.csv".to_string(),
        title: "Export the visible transfers",
        filter: "CSV table",
        ext: "csv",
        kind: "canvas-csv".to_string(),
    };
    file.write(&app, &session, csv.text.as_bytes()).await
}

/// Where and how one export is written.
struct Export {
    /// File name after `<case_id>-`.
    suffix: String,
    title: &'static str,
    filter: &'static str,
    ext: &'static str,
    /// The audit log's export kind.
    kind: String,
}

impl Export {
    async fn write(
        &self,
        app: &AppHandle,
        session: &Session,
        bytes: &[u8],
    ) -> Result<Option<String>, CommandError> {
        let case_id = {
            let case = session.case().await;
            case.as_ref()
                .ok_or_else(CommandError::no_case)?
                .info()
                .case_id
        };
        let file_name = format!("{case_id}-{}", self.suffix);
        let target = match &session.places.export_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| CommandError::io("could not create the export directory", e))?;
                Some(dir.join(file_name))
            }
            None => {
                crate::dialog::save_file(app, self.title, &file_name, self.filter, &[self.ext])
                    .await?
            }
        };
        let Some(target) = target else {
            return Ok(None);
        };
        std::fs::write(&target, bytes)
            .map_err(|e| CommandError::io(format!("could not write {}", target.display()), e))?;
        if let Some(wb) = session.case().await.as_mut() {
            wb.record_export(
                &self.kind,
                &tracebench_core::store::sha256_hex(bytes),
                Utc::now(),
            )?;
        }
        Ok(Some(target.display().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::{Picture, PNG_SIGNATURE};

    #[test]
    fn pictures_are_checked_before_anything_is_written() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend_from_slice(b"\0\0\0\rIHDR");
        assert!(
            Picture::Png.check(&png).is_ok(),
            "a PNG with its signature is accepted"
        );
        let err = Picture::Png.check(b"GIF89a").expect_err("not a PNG");
        assert!(
            err.message.contains("PNG signature"),
            "the refusal names the missing signature: {}",
            err.message
        );
        assert!(
            Picture::Svg
                .check(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
                .is_ok(),
            "an SVG element is accepted"
        );
        let err = Picture::Svg.check(b"<html/>").expect_err("not an SVG");
        assert!(
            err.message.contains("<svg>"),
            "the refusal names the missing element: {}",
            err.message
        );
        let err = Picture::parse("gif").expect_err("unknown format");
        assert!(
            err.message.contains("'gif'"),
            "the refusal quotes the format: {}",
            err.message
        );
    }
}
