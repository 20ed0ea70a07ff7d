//! The timeline tab: an SVG Gantt chart, one row per action grouped by orientation, with the
//! months on the axis, today's line, and late actions outlined in red.

use super::{Ctx, action_status};
use crate::{i18n::*, model::ItemId};
use leptos::prelude::*;

/// Days since 1970-01-01 of an ISO date ("2026-03-01"), if it is one.
fn days(iso: &str) -> Option<i64> {
    let mut parts = iso.get(..10)?.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

const LABEL_W: f64 = 190.0;
const DAY_W: f64 = 2.2;
const ROW_H: f64 = 30.0;
const AXIS_H: f64 = 34.0;

#[derive(Clone, PartialEq)]
enum Row {
    Orientation(String),
    Action {
        id: ItemId,
        title: String,
        start: Option<i64>,
        due: Option<i64>,
        late: bool,
        status: crate::model::action_plan::ActionStatus,
    },
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

#[component]
pub(crate) fn Timeline() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let today_iso = ctx.today.get_value();
    let today = days(&today_iso);
    let rows = Memo::new(move |_| {
        let today_iso = ctx.today.get_value();
        ctx.with_plan(|p| {
            let mut rows = Vec::new();
            let mut groups: Vec<(Option<ItemId>, String)> = p
                .live_orientations()
                .map(|(id, o)| (Some(id.clone()), o.title.clone()))
                .collect();
            groups.push((None, t_string!(i18n, plan.no_orientation).to_owned()));
            for (oid, title) in groups {
                let actions: Vec<_> = p
                    .live_actions()
                    .filter(|(_, a)| match &oid {
                        Some(o) => a.orientation.as_ref() == Some(o),
                        None => a
                            .orientation
                            .as_ref()
                            .and_then(|o| p.orientations.get(o))
                            .is_none_or(|o| o.deleted),
                    })
                    .collect();
                if actions.is_empty() {
                    continue;
                }
                rows.push(Row::Orientation(title));
                for (id, a) in actions {
                    rows.push(Row::Action {
                        id: id.clone(),
                        title: a.title.clone(),
                        start: days(&a.start),
                        due: days(&a.due),
                        late: a.is_late(&today_iso),
                        status: a.status,
                    });
                }
            }
            rows
        })
        .unwrap_or_default()
    });
    move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! { <p class="hint">{t!(i18n, plan.no_actions)}</p> }.into_any();
        }
        // The span shown: every date, and today, rounded out to whole months.
        let mut all: Vec<i64> = rows
            .iter()
            .flat_map(|r| match r {
                Row::Action { start, due, .. } => vec![*start, *due],
                _ => vec![],
            })
            .flatten()
            .collect();
        all.extend(today);
        let (Some(&lo), Some(&hi)) = (all.iter().min(), all.iter().max()) else {
            return view! { <p class="hint">{t!(i18n, plan.no_dates)}</p> }.into_any();
        };
        let months = month_starts(lo, hi);
        let first = months.first().map(|m| m.2).unwrap_or(lo);
        let last = months.last().map(|m| m.2 + 31).unwrap_or(hi + 31);
        let x = move |d: i64| LABEL_W + (d - first) as f64 * DAY_W;
        let width = x(last) + 10.0;
        let height = AXIS_H + rows.len() as f64 * ROW_H + 6.0;
        let month_names = month_names(i18n);
        let axis = months
            .iter()
            .enumerate()
            .map(|(i, (y, m, d))| {
                let px = x(*d);
                let name = month_names[usize::try_from(*m - 1).unwrap_or(0).min(11)];
                let label = if i == 0 || *m == 1 {
                    format!("{name} {y}")
                } else {
                    name.to_owned()
                };
                view! {
                    <line class="gantt-grid" x1=px y1=AXIS_H - 6.0 x2=px y2=height />
                    <text class="gantt-month" x=px + 3.0 y=AXIS_H - 12.0>{label}</text>
                }
            })
            .collect_view();
        let rows_view = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let y = AXIS_H + i as f64 * ROW_H;
                match row {
                    Row::Orientation(title) => view! {
                        <text class="gantt-orientation" x="6" y=y + ROW_H * 0.65>{shorten(&title, 60)}</text>
                    }
                    .into_any(),
                    Row::Action { id, title, start, due, late, status } => {
                        let (s, d) = match (start, due) {
                            (Some(s), Some(d)) => (s.min(d), s.max(d)),
                            (Some(s), None) => (s, s),
                            (None, Some(d)) => (d, d),
                            (None, None) => {
                                return view! {
                                    <text class="gantt-label" x="16" y=y + ROW_H * 0.65>{shorten(&title, 26)}</text>
                                    <text class="gantt-undated" x=LABEL_W + 4.0 y=y + ROW_H * 0.65>{t_string!(i18n, plan.no_dates)}</text>
                                }
                                .into_any();
                            }
                        };
                        let bx = x(s);
                        let bw = ((d - s + 1) as f64 * DAY_W).max(6.0);
                        let label = format!(
                            "{} — {}{}",
                            title,
                            action_status(i18n, status),
                            if late { format!(" · {}", t_string!(i18n, plan.late)) } else { String::new() }
                        );
                        let select = id.clone();
                        let select2 = id.clone();
                        view! {
                            <text class="gantt-label" x="16" y=y + ROW_H * 0.65>{shorten(&title, 26)}</text>
                            <g
                                class=format!("gantt-bar status-{}", status.as_str())
                                class:late=late
                                data-gantt-bar=id.to_string()
                                data-late=late.then_some("")
                                role="button"
                                tabindex="0"
                                aria-label=label
                                on:click=move |_| ctx.select(select.clone())
                                on:keydown=move |e: leptos::ev::KeyboardEvent| {
                                    if e.key() == "Enter" || e.key() == " " {
                                        e.prevent_default();
                                        ctx.select(select2.clone());
                                    }
                                }
                            >
                                <title>{title.clone()}</title>
                                <rect x=bx y=y + 6.0 width=bw height=ROW_H - 12.0 rx="4" />
                                {late.then(|| view! {
                                    <text class="gantt-late" x=bx + bw + 4.0 y=y + ROW_H * 0.65>{t_string!(i18n, plan.late)}</text>
                                })}
                            </g>
                        }
                        .into_any()
                    }
                }
            })
            .collect_view();
        let today_line = today.map(|t| {
            let px = x(t);
            view! {
                <line class="gantt-today" x1=px y1=AXIS_H - 4.0 x2=px y2=height />
                <text class="gantt-today-label" x=px + 3.0 y=AXIS_H - 1.0>{t_string!(i18n, plan.today)}</text>
            }
        });
        view! {
            <h2 class="panel-title">{t!(i18n, plan.timeline_title)}</h2>
            <p class="hint">{t!(i18n, plan.timeline_hint)}</p>
            <div class="gantt-wrap" dir="ltr">
                <svg class="gantt" width=width height=height viewBox=format!("0 0 {width} {height}") role="group" aria-label=move || t_string!(i18n, plan.timeline_title)>
                    {axis}
                    {today_line}
                    {rows_view}
                </svg>
            </div>
        }
        .into_any()
    }
}

fn month_names(i18n: leptos_i18n::I18nContext<Locale>) -> [&'static str; 12] {
    [
        t_string!(i18n, plan.m01),
        t_string!(i18n, plan.m02),
        t_string!(i18n, plan.m03),
        t_string!(i18n, plan.m04),
        t_string!(i18n, plan.m05),
        t_string!(i18n, plan.m06),
        t_string!(i18n, plan.m07),
        t_string!(i18n, plan.m08),
        t_string!(i18n, plan.m09),
        t_string!(i18n, plan.m10),
        t_string!(i18n, plan.m11),
        t_string!(i18n, plan.m12),
    ]
}

/// The first day of every month from `lo`'s month to `hi`'s, as (year, month, days).
fn month_starts(lo: i64, hi: i64) -> Vec<(i64, i64, i64)> {
    let (mut y, mut m) = civil(lo);
    let (hy, hm) = civil(hi);
    let mut out = Vec::new();
    while (y, m) <= (hy, hm) && out.len() < 240 {
        if let Some(d) = days(&format!("{y:04}-{m:02}-01")) {
            out.push((y, m, d));
        }
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

/// (year, month) of a day count.
fn civil(z: i64) -> (i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2026-03-01").map(civil), Some((2026, 3)));
        assert_eq!(days("nope"), None);
        assert_eq!(
            month_starts(
                days("2026-11-20").unwrap_or(0),
                days("2027-01-02").unwrap_or(0)
            )
            .len(),
            3
        );
    }
}
