//! Figures typed into a form (the web grid) or sent as JSON (the API):
//! rows of text cells checked by the same [`Validator`] as a file's rows,
//! so that every path into the store parses and refuses alike.

use super::validate::{Cell, Header, Validator};
use super::{Errors, ImportErrors};
use crate::fields::{Field, FIELD_COUNT};
use lantu_core::observation::NewObservation;
use lantu_core::plan::PlanDoc;

/// One figure as typed: each field as text (empty when not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormRow {
    pub code: String,
    pub period: String,
    /// A town or street; empty for the plan's own area.
    pub area: String,
    pub value: String,
    /// The unit typed with the figure, checked against the indicator's.
    pub unit: String,
    pub source: String,
    pub notes: String,
    /// Why a figure that breaks a warning rule is right.
    pub comment: String,
}

impl FormRow {
    fn cell(&self, f: Field) -> &str {
        match f {
            Field::Code => &self.code,
            Field::Period => &self.period,
            Field::Area => &self.area,
            Field::Value => &self.value,
            Field::Unit => &self.unit,
            Field::Source => &self.source,
            Field::Notes => &self.notes,
            Field::Comment => &self.comment,
            Field::Name | Field::Previous => "",
        }
    }
}

/// Checks `rows` against `plan`: one observation per row with a value, in
/// order, or every error found. An error's `row` is the 1-based position
/// of its row in `rows`; `name` names the input in messages (`网页填报`).
pub fn read_rows(rows: &[FormRow], name: &str, plan: &PlanDoc) -> Result<Vec<NewObservation>, ImportErrors> {
    let header = Header::parse(Field::ALL.iter().enumerate().map(|(i, f)| (i, f.zh())));
    let mut v = Validator::new(plan, header, rows.len());
    for (i, r) in rows.iter().enumerate() {
        let mut cells: [Cell<'_>; FIELD_COUNT] = Default::default();
        for (cell, f) in cells.iter_mut().zip(Field::ALL) {
            *cell = Cell::text(r.cell(f));
        }
        v.row(i + 1, &cells);
    }
    v.finish().map_err(|e: Errors| ImportErrors {
        file: name.to_string(),
        errors: e.list,
        more: e.more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> PlanDoc {
        crate::testing::plan()
    }

    #[test]
    fn a_typed_row_is_read_like_a_file_row() {
        let doc = plan();
        let code = doc.indicators[0].code.clone();
        let row = FormRow {
            code: code.clone(),
            period: "2023".into(),
            value: "12.5".into(),
            source: "区统计局".into(),
            comment: "口径调整".into(),
            ..FormRow::default()
        };
        let obs = read_rows(&[row], "web", &doc).expect("valid");
        assert_eq!(obs.len(), 1);
        assert_eq!(obs[0].indicator, code);
        assert_eq!(obs[0].value.to_string(), "12.5");
        assert_eq!(obs[0].source.as_deref(), Some("区统计局"));
        assert_eq!(obs[0].comment.as_deref(), Some("口径调整"));
    }

    #[test]
    fn errors_name_the_row_and_the_field() {
        let doc = plan();
        let ok = FormRow {
            code: doc.indicators[0].code.clone(),
            period: "2023".into(),
            value: "1".into(),
            ..FormRow::default()
        };
        let bad = FormRow {
            value: "四十二x".into(),
            ..ok.clone()
        };
        let unknown = FormRow {
            code: "no-such".into(),
            ..ok.clone()
        };
        let e = read_rows(&[ok, bad, unknown], "web", &doc).expect_err("invalid");
        let rows: Vec<Option<usize>> = e.errors.iter().map(|x| x.row).collect();
        assert!(rows.contains(&Some(2)) && rows.contains(&Some(3)), "{e:?}");
        assert!(e.errors.iter().any(|x| x.field == Some(Field::Value)), "{e:?}");
        assert!(e.errors.iter().any(|x| x.field == Some(Field::Code)), "{e:?}");
    }
}
