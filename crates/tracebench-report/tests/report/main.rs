//! Integration tests of the PDF exhibit, checked with poppler's pdftotext, pdfinfo, pdffonts
//! and pdftoppm.

mod determinism;
mod exhibit;
mod fixture;
mod fonts;
mod pages;
mod pdfa;
mod poppler;
mod sections;
mod sensitivity;
mod stated;
mod story;
mod visual;
