//! The plan's outline. (being written)
