//! Every format of the report opened with an independent reader and checked
//! against the snapshot: the `.docx` unzipped and its XML parsed, the
//! `.xlsx` read back with calamine, the HTML searched, the PDF's text
//! extracted (lopdf for the structure, pdftotext for the text); and the
//! rendered pages kept as PNG artifacts.

mod artifacts;
mod common;
mod docx;
mod fixture;
mod fonts;
mod html;
mod pdf;
mod robust;
mod xlsx;
