//! The embedded DejaVu faces, glyph-width measurement, wrapping and truncation.

use printpdf::{FontId, ParsedFont};

use crate::ReportError;

const SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
const MONO: &[u8] = include_bytes!("../assets/fonts/DejaVuSansMono.ttf");

/// Millimetres per PDF point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// Shown instead of a character the embedded fonts have no glyph for.
const REPLACEMENT: char = '\u{FFFD}';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
    Mono,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Regular, Face::Bold, Face::Mono];

    /// Fixed resource id. printpdf would otherwise draw ids from a process-wide counter, and
    /// the first six characters become the font's subset tag, so they must be stable
    /// (and six upper-case letters, ISO 32000-1 9.6.4).
    pub fn font_id(self) -> FontId {
        FontId(
            match self {
                Face::Regular => "TBSANS",
                Face::Bold => "TBBOLD",
                Face::Mono => "TBMONO",
            }
            .to_string(),
        )
    }
}

/// The three parsed faces every report uses.
pub struct Typeface {
    regular: ParsedFont,
    bold: ParsedFont,
    mono: ParsedFont,
}

impl Typeface {
    pub fn load() -> Result<Self, ReportError> {
        let parse = |bytes: &[u8], name: &'static str| {
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(ReportError::Font { name })
        };
        Ok(Typeface {
            regular: parse(SANS, "DejaVuSans.ttf")?,
            bold: parse(SANS_BOLD, "DejaVuSans-Bold.ttf")?,
            mono: parse(MONO, "DejaVuSansMono.ttf")?,
        })
    }

    pub fn font(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Mono => &self.mono,
        }
    }

    /// The text with every character the face cannot draw replaced by U+FFFD and control
    /// characters other than line feeds by spaces.
    pub fn printable(&self, face: Face, text: &str) -> String {
        let font = self.font(face);
        text.chars()
            .map(|c| {
                if c == '\n' {
                    c
                } else if c.is_control() {
                    ' '
                } else if font.lookup_glyph_index(c as u32).is_some() {
                    c
                } else {
                    REPLACEMENT
                }
            })
            .collect()
    }

    /// Advance width of `text` set in `face` at `size_pt`, in millimetres.
    pub fn width_mm(&self, face: Face, size_pt: f32, text: &str) -> f32 {
        let font = self.font(face);
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let units: f32 = text
            .chars()
            .map(|c| {
                let glyph = font.lookup_glyph_index(c as u32).unwrap_or(0);
                f32::from(font.get_horizontal_advance(glyph))
            })
            .sum();
        units / units_per_em * size_pt * MM_PER_PT
    }

    /// The largest size between `min_pt` and `size_pt` (in steps of 0.25 pt) at which `text`
    /// fits `max_mm`; `min_pt` when even that does not fit.
    pub fn fit_size(&self, face: Face, size_pt: f32, min_pt: f32, text: &str, max_mm: f32) -> f32 {
        let mut size = size_pt;
        while size > min_pt && self.width_mm(face, size, text) > max_mm {
            size -= 0.25;
        }
        size.max(min_pt)
    }

    /// `text` cut to fit `max_mm`, ending in "…" when something was cut.
    pub fn truncate(&self, face: Face, size_pt: f32, text: &str, max_mm: f32) -> String {
        if self.width_mm(face, size_pt, text) <= max_mm {
            return text.to_string();
        }
        let ellipsis = self.width_mm(face, size_pt, "…");
        let mut kept = String::new();
        let mut width = 0.0;
        for c in text.chars() {
            let w = self.width_mm(face, size_pt, c.encode_utf8(&mut [0; 4]));
            if width + w + ellipsis > max_mm {
                break;
            }
            width += w;
            kept.push(c);
        }
        kept.push('…');
        kept
    }

    /// `text` broken into lines no wider than `max_mm`: at spaces where possible, inside a
    /// word (hashes, addresses) where not. Line breaks in the text start a new line.
    pub fn wrap(&self, face: Face, size_pt: f32, text: &str, max_mm: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width_mm(face, size_pt, &candidate) <= max_mm {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // The word alone: break it by characters if it is still too wide.
                for c in word.chars() {
                    let mut longer = line.clone();
                    longer.push(c);
                    if !line.is_empty() && self.width_mm(face, size_pt, &longer) > max_mm {
                        lines.push(std::mem::take(&mut line));
                        line.push(c);
                    } else {
                        line = longer;
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_character() {
        let faces = Typeface::load().expect("embedded fonts parse");
        let text =
            "Funds moved through 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
                    and then on to the exchange deposit address.";
        let lines = faces.wrap(Face::Regular, 9.0, text, 40.0);
        assert!(lines.len() > 2, "a long text must wrap at 40 mm: {lines:?}");
        for line in &lines {
            assert!(
                faces.width_mm(Face::Regular, 9.0, line) <= 40.0,
                "line {line:?} must fit the 40 mm box"
            );
        }
        let joined: String = lines
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let original: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(
            joined, original,
            "wrapping must not drop or alter characters"
        );
    }

    #[test]
    fn mono_width_matches_the_font_metrics() {
        let faces = Typeface::load().expect("embedded fonts parse");
        // DejaVu Sans Mono advances 1233 of 2048 units per glyph.
        let width = faces.width_mm(Face::Mono, 10.0, &"0".repeat(64));
        let expected = 64.0 * 1233.0 / 2048.0 * 10.0 * MM_PER_PT;
        assert!(
            (width - expected).abs() < 0.01,
            "measured {width} mm, expected {expected} mm"
        );
    }

    #[test]
    fn truncation_marks_the_cut() {
        let faces = Typeface::load().expect("embedded fonts parse");
        let cut = faces.truncate(Face::Regular, 9.0, &"x".repeat(200), 30.0);
        assert!(cut.ends_with('…'), "a cut text ends in an ellipsis");
        assert!(
            faces.width_mm(Face::Regular, 9.0, &cut) <= 30.0,
            "and fits its box"
        );
    }
}
