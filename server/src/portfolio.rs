//! The managers' portfolio: actions and indicators of every territory the viewer belongs to,
//! read from the projected read model (see [`crate::projection`]), filtered by territory,
//! status and due date; and its CSV exports (`/api/portfolio/actions.csv`,
//! `/api/portfolio/indicators.csv`).

use app::accounts::{
    AccountError, Portfolio, PortfolioAction, PortfolioFilter, PortfolioIndicator, Viewer,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

use crate::store::{
    StoreError,
    entities::{membership, plan_action, plan_indicator, territory},
};

/// Today's date, ISO, on the server's clock.
pub fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

fn valid_date(d: &Option<String>) -> Option<String> {
    d.as_deref()
        .map(str::trim)
        .filter(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        .map(str::to_owned)
}

/// The portfolio of a signed-in viewer: only territories they are a member of.
pub async fn query(
    db: &DatabaseConnection,
    viewer: &Viewer,
    filter: &PortfolioFilter,
) -> Result<Portfolio, AccountError> {
    let user = viewer.user()?;
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .all(db)
        .await
        .map_err(StoreError::from)?;
    let ids: Vec<i32> = memberships.iter().map(|m| m.territory_id).collect();
    let names: BTreeMap<i32, String> = territory::Entity::find()
        .filter(territory::Column::Id.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(StoreError::from)?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let wanted: Vec<i32> = match filter.territory {
        Some(t) if ids.contains(&t) => vec![t],
        // Someone else's territory: nothing, and no hint that it exists.
        Some(_) => Vec::new(),
        None => ids,
    };
    let today = today();
    let mut actions_q = plan_action::Entity::find()
        .filter(plan_action::Column::TerritoryId.is_in(wanted.clone()))
        .order_by_asc(plan_action::Column::TerritoryId)
        .order_by_asc(plan_action::Column::Orientation)
        .order_by_asc(plan_action::Column::DueDate);
    if let Some(status) = filter.status.as_deref().filter(|s| !s.is_empty()) {
        if app::model::action_plan::ActionStatus::parse(status).is_none() {
            return Err(AccountError::Invalid {
                field: "status".into(),
            });
        }
        actions_q = actions_q.filter(plan_action::Column::Status.eq(status));
    }
    if let Some(from) = valid_date(&filter.from) {
        actions_q = actions_q.filter(plan_action::Column::DueDate.gte(from));
    }
    if let Some(to) = valid_date(&filter.to) {
        actions_q = actions_q.filter(plan_action::Column::DueDate.lte(to));
    }
    let name = |t: i32| names.get(&t).cloned().unwrap_or_default();
    let actions = actions_q
        .all(db)
        .await
        .map_err(StoreError::from)?
        .into_iter()
        .map(|a| PortfolioAction {
            late: !a.due_date.is_empty()
                && a.due_date < today
                && a.status != "done"
                && a.status != "dropped",
            territory_name: name(a.territory_id),
            document: a.document_id,
            item: a.item_id,
            territory: a.territory_id,
            orientation: a.orientation,
            title: a.title,
            lead: a.lead,
            status: a.status,
            progress: a.progress,
            start: a.start_date,
            due: a.due_date,
            budget: a.budget,
            committed: a.committed,
        })
        .collect();
    let indicators = plan_indicator::Entity::find()
        .filter(plan_indicator::Column::TerritoryId.is_in(wanted))
        .order_by_asc(plan_indicator::Column::TerritoryId)
        .order_by_asc(plan_indicator::Column::Name)
        .all(db)
        .await
        .map_err(StoreError::from)?
        .into_iter()
        .map(|i| PortfolioIndicator {
            territory_name: name(i.territory_id),
            document: i.document_id,
            item: i.item_id,
            territory: i.territory_id,
            name: i.name,
            unit: i.unit,
            baseline: i.baseline,
            current: i.current,
            target: i.target,
            target_period: i.target_period,
            progress: i.progress,
        })
        .collect();
    Ok(Portfolio {
        territories: names.into_iter().collect(),
        actions,
        indicators,
        today,
    })
}

/// One CSV field: quoted when it holds a separator, a quote or a line break; a leading `=`,
/// `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it as a formula.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn num(v: Option<f64>) -> String {
    v.map(|v| format!("{v}")).unwrap_or_default()
}

/// CSV of the actions (UTF-8 with a byte-order mark, so spreadsheets read Arabic right).
pub fn actions_csv(p: &Portfolio) -> String {
    let mut out = String::from(
        "\u{feff}territory,orientation,action,lead,status,progress,start,due,budget_mad,committed_mad,late\r\n",
    );
    for a in &p.actions {
        let row = [
            field(&a.territory_name),
            field(&a.orientation),
            field(&a.title),
            field(&a.lead),
            field(&a.status),
            num(Some(a.progress)),
            field(&a.start),
            field(&a.due),
            num(Some(a.budget)),
            num(Some(a.committed)),
            a.late.to_string(),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn indicators_csv(p: &Portfolio) -> String {
    let mut out = String::from(
        "\u{feff}territory,indicator,unit,baseline,current,target,target_period,progress_percent\r\n",
    );
    for i in &p.indicators {
        let row = [
            field(&i.territory_name),
            field(&i.name),
            field(&i.unit),
            num(i.baseline),
            num(i.current),
            num(i.target),
            field(&i.target_period),
            num(i.progress),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The portfolio as a workbook: an "Actions" sheet and an "Indicators" sheet, numbers as
/// numbers (budgets in MAD, progress in %), so they can be summed and charted.
pub fn workbook(p: &Portfolio) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0");
    let sheet = book.add_worksheet().set_name("Actions")?;
    let head = [
        "territory",
        "orientation",
        "action",
        "lead",
        "status",
        "progress_percent",
        "start",
        "due",
        "budget_mad",
        "committed_mad",
        "late",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, a) in p.actions.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &a.territory_name)?;
        sheet.write_string(r, 1, &a.orientation)?;
        sheet.write_string(r, 2, &a.title)?;
        sheet.write_string(r, 3, &a.lead)?;
        sheet.write_string(r, 4, &a.status)?;
        sheet.write_number(r, 5, a.progress)?;
        sheet.write_string(r, 6, &a.start)?;
        sheet.write_string(r, 7, &a.due)?;
        sheet.write_number_with_format(r, 8, a.budget, &money)?;
        sheet.write_number_with_format(r, 9, a.committed, &money)?;
        sheet.write_boolean(r, 10, a.late)?;
    }
    sheet.autofit();
    let sheet = book.add_worksheet().set_name("Indicators")?;
    let head = [
        "territory",
        "indicator",
        "unit",
        "baseline",
        "current",
        "target",
        "target_period",
        "progress_percent",
    ];
    for (c, h) in head.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, i) in p.indicators.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, &i.territory_name)?;
        sheet.write_string(r, 1, &i.name)?;
        sheet.write_string(r, 2, &i.unit)?;
        for (c, v) in [(3u16, i.baseline), (4, i.current), (5, i.target)] {
            if let Some(v) = v {
                sheet.write_number(r, c, v)?;
            }
        }
        sheet.write_string(r, 6, &i.target_period)?;
        if let Some(v) = i.progress {
            sheet.write_number(r, 7, v)?;
        }
    }
    sheet.autofit();
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=cmd()"), "'=cmd()");
        assert_eq!(field("-12"), "-12");
        assert_eq!(field("جمعية"), "جمعية");
    }

    fn sample() -> Portfolio {
        Portfolio {
            territories: vec![(3, "Commune de Bni Drar".into())],
            actions: vec![PortfolioAction {
                document: "d".into(),
                item: "a".into(),
                territory: 3,
                territory_name: "Commune de Bni Drar".into(),
                orientation: "Eau".into(),
                title: "Compteurs, forages \"AUEA\"".into(),
                lead: "جمعية الأمل".into(),
                status: "in_progress".into(),
                progress: 35.0,
                start: "2026-02-01".into(),
                due: "2026-09-30".into(),
                budget: 450_000.0,
                committed: 120_000.0,
                late: true,
            }],
            indicators: vec![PortfolioIndicator {
                document: "d".into(),
                item: "i".into(),
                territory: 3,
                territory_name: "Commune de Bni Drar".into(),
                name: "Forages équipés".into(),
                unit: "%".into(),
                baseline: Some(0.0),
                current: Some(22.0),
                target: Some(60.0),
                target_period: "2026".into(),
                progress: Some(36.7),
            }],
            today: "2026-11-29".into(),
        }
    }

    #[test]
    fn the_workbook_reads_back() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = workbook(&sample()).unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let actions = book.worksheet_range("Actions").unwrap();
        assert_eq!(
            actions.get_value((0, 2)),
            Some(&Data::String("action".into()))
        );
        assert_eq!(
            actions.get_value((1, 2)),
            Some(&Data::String("Compteurs, forages \"AUEA\"".into()))
        );
        assert_eq!(
            actions.get_value((1, 3)),
            Some(&Data::String("جمعية الأمل".into()))
        );
        assert_eq!(actions.get_value((1, 8)), Some(&Data::Float(450_000.0)));
        assert_eq!(actions.get_value((1, 10)), Some(&Data::Bool(true)));
        let indicators = book.worksheet_range("Indicators").unwrap();
        assert_eq!(indicators.get_value((1, 4)), Some(&Data::Float(22.0)));
    }

    #[test]
    fn the_csv_parses_back() {
        let text = actions_csv(&sample());
        let text = text.trim_start_matches('\u{feff}');
        let mut lines = text.split("\r\n");
        assert_eq!(lines.next().unwrap().split(',').count(), 11);
        let row = lines.next().unwrap();
        // The quoted title keeps its comma and its quotes.
        assert!(row.contains("\"Compteurs, forages \"\"AUEA\"\"\""), "{row}");
        assert!(row.ends_with(",450000,120000,true"), "{row}");
    }
}
