//! The canvas viewport (zoom and pan) saved in the case, so a case reopens on the view the
//! analyst left it with. A view setting like the time filter, not an analysis step: it is not
//! written to the audit log and not part of the content hash (`store::content_hash`), so
//! panning around after sealing a report does not change what the report was sealed over.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Workbench;
use crate::api::ApiError;
use crate::source::rfc3339;
use crate::store::ViewportState;

/// The zoom levels a saved viewport may have (Cytoscape's own bounds are narrower).
pub const VIEWPORT_ZOOM: std::ops::RangeInclusive<f64> = 0.001..=1000.0;

/// Zoom level and pan (pixels) of the canvas, as Cytoscape reports them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export_to = "Viewport.ts")]
pub struct Viewport {
    pub zoom: f64,
    pub pan_x: f64,
    pub pan_y: f64,
}

impl Viewport {
    /// Refuses a zoom outside [`VIEWPORT_ZOOM`] or a pan that is not a finite number, naming it.
    pub fn check(&self) -> Result<(), ApiError> {
        if !self.zoom.is_finite() || !VIEWPORT_ZOOM.contains(&self.zoom) {
            return Err(ApiError::Canvas(format!(
                "the viewport zoom must be a number from {} to {} (got {})",
                VIEWPORT_ZOOM.start(),
                VIEWPORT_ZOOM.end(),
                self.zoom
            )));
        }
        if !self.pan_x.is_finite() || !self.pan_y.is_finite() {
            return Err(ApiError::Canvas(format!(
                "the viewport pan must be finite numbers (got {}, {})",
                self.pan_x, self.pan_y
            )));
        }
        Ok(())
    }
}

impl Workbench {
    /// Saves the canvas viewport; a zoom outside [`VIEWPORT_ZOOM`] or a pan that is not a finite
    /// number is refused and the saved viewport stays as it was.
    pub fn set_viewport(&mut self, view: Viewport, now: DateTime<Utc>) -> Result<(), ApiError> {
        view.check()?;
        let state = ViewportState {
            zoom: view.zoom,
            pan_x: view.pan_x,
            pan_y: view.pan_y,
        };
        self.case.set_viewport(state, &rfc3339(now))?;
        Ok(())
    }

    /// The saved canvas viewport, or none when the case was never looked at in the app.
    pub fn viewport(&self) -> Result<Option<Viewport>, ApiError> {
        Ok(self.case.viewport()?.map(|v| Viewport {
            zoom: v.zoom,
            pan_x: v.pan_x,
            pan_y: v.pan_y,
        }))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::Viewport;
    use crate::api::view::tests::demo_case;
    use crate::api::Workbench;

    #[test]
    fn the_viewport_is_kept_in_the_case_and_bad_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (mut wb, _) = demo_case(dir.path());
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 5, 0, 0).unwrap();
        assert_eq!(
            wb.viewport().unwrap(),
            None,
            "a case never looked at in the app has no saved viewport"
        );
        let hash = wb.case().content_hash().unwrap();
        let audit = wb.audit_log().unwrap().len();
        let view = Viewport {
            zoom: 1.75,
            pan_x: -320.5,
            pan_y: 88.0,
        };
        wb.set_viewport(view, now).unwrap();
        let later = Viewport {
            zoom: 0.5,
            pan_x: 10.0,
            pan_y: -20.0,
        };
        wb.set_viewport(later, now).unwrap();
        assert_eq!(
            wb.viewport().unwrap(),
            Some(later),
            "the newest viewport replaces the one saved before"
        );
        assert_eq!(
            wb.case().content_hash().unwrap(),
            hash,
            "the viewport is a view setting: the content hash a report seals is unchanged"
        );
        assert_eq!(
            wb.audit_log().unwrap().len(),
            audit,
            "saving the viewport is not an analysis step and is not audited"
        );

        for (bad, message) in [
            (
                Viewport { zoom: 0.0, ..later },
                "zoom must be a number from",
            ),
            (
                Viewport {
                    zoom: f64::INFINITY,
                    ..later
                },
                "zoom must be a number from",
            ),
            (
                Viewport {
                    pan_x: f64::NAN,
                    ..later
                },
                "pan must be finite",
            ),
        ] {
            let err = wb.set_viewport(bad, now).unwrap_err();
            assert!(err.to_string().contains(message), "{message}: {err}");
            assert_eq!(err.code(), "invalid_input", "a bad viewport is bad input");
        }
        assert_eq!(
            wb.viewport().unwrap(),
            Some(later),
            "a refused viewport leaves the saved one as it was"
        );

        let path = wb.case().path().to_path_buf();
        drop(wb);
        let wb = Workbench::open(&path, None).unwrap();
        assert_eq!(
            wb.viewport().unwrap(),
            Some(later),
            "the viewport is stored in the case file"
        );
    }
}
