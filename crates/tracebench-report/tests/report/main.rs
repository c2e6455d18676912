//! Integration tests of the PDF exhibit, checked with poppler's pdftotext, pdfinfo, pdffonts
//! and pdftoppm.

mod determinism;
mod fixture;
mod fonts;
mod pages;
mod poppler;
mod sections;
mod visual;
