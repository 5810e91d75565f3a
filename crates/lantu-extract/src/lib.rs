//! Reads a Chinese development plan (规划纲要) and returns its outline, its
//! quantified targets, the baselines it reports, and its key projects, each
//! record carrying the span of the sentence it came from.
//!
//! The rules are written for the language of Chinese plans in general (到
//! 2025 年……达到, 年均增长, 累计下降, 控制在……以内, indicator tables of
//! 专栏), not for one text. Extraction never touches a database.
//!
//! Entry points: [`input::read_path`] turns a file into text, [`extract`]
//! reads the text, [`score::score`] compares the result with gold.

pub mod draft;
pub mod extract;
pub mod genre;
pub mod input;
pub mod lexicon;
pub mod links;
pub mod meta;
pub mod model;
pub mod outline;
pub mod period;
pub mod projects;
pub mod prose;
pub mod quantity;
pub mod regions;
pub mod scan;
pub mod score;
pub mod table;
pub mod text;

pub use extract::extract;
pub use model::*;
