//! Evaluation reports (being written).
