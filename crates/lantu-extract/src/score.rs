//! Scoring against gold. (being written)
