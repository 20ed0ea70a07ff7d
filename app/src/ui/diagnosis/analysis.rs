//! The network analysis tab: each actor's centralities with the brokers and isolated actors
//! they reveal, and the power–interest grid that says how to involve whom. Both are computed
//! from the live diagnosis by the pure functions of [`crate::model::diagnosis::analysis`].

use crate::{
    i18n::*,
    model::{
        ItemId,
        diagnosis::{
            ActorCategory, Diagnosis,
            analysis::{ActorMetrics, GridQuadrant, Metrics, power_interest_grid},
        },
    },
    ui::labels,
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use std::collections::BTreeMap;

use super::positions::decimal;

/// The colour of a family of actors, shared with the sociogram.
pub(super) fn category_colour(c: ActorCategory) -> &'static str {
    match c {
        ActorCategory::CivilSociety => "#2f6b4f",
        ActorCategory::ElectedOfficial => "#b4572e",
        ActorCategory::Administration => "#2b5c8a",
        ActorCategory::EconomicPlayer => "#a07a12",
        ActorCategory::Other => "#6b5b7b",
    }
}

fn quadrant_name(i18n: I18nContext<Locale>, q: GridQuadrant) -> &'static str {
    match q {
        GridQuadrant::ManageClosely => t_string!(i18n, analysis.q_manage_closely),
        GridQuadrant::KeepSatisfied => t_string!(i18n, analysis.q_keep_satisfied),
        GridQuadrant::KeepInformed => t_string!(i18n, analysis.q_keep_informed),
        GridQuadrant::Monitor => t_string!(i18n, analysis.q_monitor),
    }
}

fn quadrant_help(i18n: I18nContext<Locale>, q: GridQuadrant) -> &'static str {
    match q {
        GridQuadrant::ManageClosely => t_string!(i18n, analysis.h_manage_closely),
        GridQuadrant::KeepSatisfied => t_string!(i18n, analysis.h_keep_satisfied),
        GridQuadrant::KeepInformed => t_string!(i18n, analysis.h_keep_informed),
        GridQuadrant::Monitor => t_string!(i18n, analysis.h_monitor),
    }
}

/// One live actor with what the analysis says about it.
#[derive(Clone, Debug, PartialEq)]
struct ActorFacts {
    id: ItemId,
    name: String,
    category: ActorCategory,
    influence: u8,
    interest: u8,
    metrics: ActorMetrics,
    broker: bool,
    isolated: bool,
    quadrant: GridQuadrant,
}

fn facts(d: &Diagnosis) -> Vec<ActorFacts> {
    let metrics = Metrics::compute(d);
    let grid = power_interest_grid(d);
    d.live_actors()
        .filter_map(|(id, a)| {
            Some(ActorFacts {
                id: id.clone(),
                name: a.name.clone(),
                category: a.category,
                influence: a.influence.clamp(1, 5),
                interest: a.interest.clamp(1, 5),
                metrics: metrics.per_actor.get(id)?.clone(),
                broker: metrics.brokers.contains(id),
                isolated: metrics.isolated.contains(id),
                quadrant: *grid.get(id)?,
            })
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Degree,
    DegreeCentrality,
    Betweenness,
    Closeness,
}

impl Column {
    const NUMERIC: [Column; 4] = [
        Column::Degree,
        Column::DegreeCentrality,
        Column::Betweenness,
        Column::Closeness,
    ];

    fn label(self, i18n: I18nContext<Locale>) -> &'static str {
        match self {
            Column::Name => t_string!(i18n, analysis.actor),
            Column::Degree => t_string!(i18n, analysis.degree),
            Column::DegreeCentrality => t_string!(i18n, analysis.degree_centrality),
            Column::Betweenness => t_string!(i18n, analysis.betweenness),
            Column::Closeness => t_string!(i18n, analysis.closeness),
        }
    }

    fn compare(self, a: &ActorFacts, b: &ActorFacts) -> std::cmp::Ordering {
        let (x, y) = (&a.metrics, &b.metrics);
        match self {
            Column::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            Column::Degree => x.degree.cmp(&y.degree),
            Column::DegreeCentrality => x.degree_centrality.total_cmp(&y.degree_centrality),
            Column::Betweenness => x.betweenness.total_cmp(&y.betweenness),
            Column::Closeness => x.closeness.total_cmp(&y.closeness),
        }
    }
}

#[component]
pub fn NetworkAnalysis() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<super::Ctx>();
    let facts = Memo::new(move |_| ctx.data.with(|d| d.as_ref().map(facts)));
    view! {
        <div class="analysis-view">
            <h2 class="tab-title">{t!(i18n, analysis.title)}</h2>
            {move || {
                facts.with(|f| match f {
                    None => Some(view! { <p class="notice">{t!(i18n, common.loading)}</p> }.into_any()),
                    Some(f) if f.is_empty() => Some(view! { <p class="notice">{t!(i18n, analysis.no_actors)}</p> }.into_any()),
                    Some(_) => None,
                })
            }}
            <Show when=move || facts.with(|f| f.as_ref().is_some_and(|f| !f.is_empty()))>
                <MetricsTable facts=facts />
                <PowerInterestGrid facts=facts />
            </Show>
        </div>
    }
}

#[component]
fn MetricsTable(facts: Memo<Option<Vec<ActorFacts>>>) -> impl IntoView {
    let i18n = use_i18n();
    // Betweenness, highest first: brokers come on top.
    let sort = RwSignal::new((Column::Betweenness, true));
    let toggle = move |column: Column| {
        sort.update(|(current, descending)| {
            if *current == column {
                *descending = !*descending;
            } else {
                *current = column;
                *descending = column != Column::Name;
            }
        })
    };
    let header = move |column: Column| {
        let aria = move || match sort.get() {
            (c, true) if c == column => "descending",
            (c, false) if c == column => "ascending",
            _ => "none",
        };
        let arrow = move || match sort.get() {
            (c, true) if c == column => "▼",
            (c, false) if c == column => "▲",
            _ => "↕",
        };
        let class = if column == Column::Name {
            "actor-head corner"
        } else {
            "num"
        };
        view! {
            <th scope="col" class=class aria-sort=aria>
                <button type="button" class="sort-button" on:click=move |_| toggle(column)>
                    <span>{move || column.label(i18n)}</span>
                    <span class="sort-arrow" aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    let summary = move || {
        facts.with(|f| {
            let f = f.as_deref().unwrap_or_default();
            t_string!(
                i18n,
                analysis.summary,
                actors = f.len(),
                brokers = f.iter().filter(|a| a.broker).count(),
                isolated = f.iter().filter(|a| a.isolated).count()
            )
            .to_string()
        })
    };
    let rows = move || {
        let locale = i18n.get_locale();
        let mut list = facts.get().unwrap_or_default();
        let (column, descending) = sort.get();
        // The bars show betweenness relative to the highest.
        let top = list
            .iter()
            .map(|a| a.metrics.betweenness)
            .fold(0.0, f64::max);
        list.sort_by(|a, b| {
            let order = column.compare(a, b);
            let order = if descending { order.reverse() } else { order };
            order
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then_with(|| a.id.cmp(&b.id))
        });
        list.into_iter()
            .map(|a| {
                let m = &a.metrics;
                view! {
                    <tr
                        data-metrics-row=a.id.0.clone()
                        data-broker=a.broker.then_some("")
                        data-isolated=a.isolated.then_some("")
                        class:broker=a.broker
                        class:isolated=a.isolated
                    >
                        <th scope="row" class="actor-head">
                            <span class="cat-dot" style=format!("--c: {}", category_colour(a.category)) title=labels::category(i18n, a.category)></span>
                            <span dir="auto">{a.name.clone()}</span>
                        </th>
                        <td class="num">{m.degree}</td>
                        <td class="num">{decimal(locale, m.degree_centrality, false)}</td>
                        <td class="num">
                            <span class="bar" style=format!("--v: {:.3}", if top > 0.0 { m.betweenness / top } else { 0.0 }) aria-hidden="true"></span>
                            {decimal(locale, m.betweenness, false)}
                        </td>
                        <td class="num">{decimal(locale, m.closeness, false)}</td>
                        <td class="flags">
                            {a.broker.then(|| view! { <span class="badge broker-badge">{t!(i18n, analysis.broker)}</span> })}
                            {a.isolated.then(|| view! { <span class="badge isolated-badge">{t!(i18n, analysis.isolated)}</span> })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="metrics-section" aria-labelledby="metrics-title">
            <h3 id="metrics-title">{t!(i18n, analysis.metrics_title)}</h3>
            <p class="metrics-summary" aria-live="polite">{summary}</p>
            <div class="explain">
                <p>
                    <span class="badge broker-badge">{t!(i18n, analysis.broker)}</span>
                    " "
                    {t!(i18n, analysis.explain_broker)}
                </p>
                <p>
                    <span class="badge isolated-badge">{t!(i18n, analysis.isolated)}</span>
                    " "
                    {t!(i18n, analysis.explain_isolated)}
                </p>
                <p class="hint">{t!(i18n, analysis.explain_measures)}</p>
            </div>
            <div class="table-wrap">
                <table class="metrics">
                    <caption class="sr-text">{t!(i18n, analysis.table_caption)}</caption>
                    <thead>
                        <tr>
                            {header(Column::Name)}
                            {Column::NUMERIC.into_iter().map(header).collect_view()}
                            <th scope="col">{t!(i18n, analysis.role)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

// The grid's drawing, in viewBox units: five bands per axis, one per score.
const X0: f64 = 64.0;
const Y0: f64 = 40.0;
const BAND_W: f64 = 130.0;
const BAND_H: f64 = 100.0;
const X1: f64 = X0 + 5.0 * BAND_W;
const Y1: f64 = Y0 + 5.0 * BAND_H;
const WIDTH: f64 = X1 + 26.0;
const HEIGHT: f64 = Y1 + 70.0;
/// Where a score becomes high (between bands 3 and 4).
const SPLIT: f64 = GridQuadrant::MIDPOINT as f64;
const ROW: f64 = 11.5;
const ROWS: usize = 8;

/// The left edge of the band of an interest score, and the top edge of an influence score's.
fn band_x(interest: u8) -> f64 {
    X0 + f64::from(interest.clamp(1, 5) - 1) * BAND_W
}

fn band_y(influence: u8) -> f64 {
    Y0 + f64::from(5 - influence.clamp(1, 5)) * BAND_H
}

/// Whether a name starts with right-to-left letters (Arabic, Hebrew…).
fn starts_rtl(s: &str) -> bool {
    s.chars().find(|c| c.is_alphabetic()).is_some_and(
        |c| matches!(u32::from(c), 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF),
    )
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Actors sharing the same scores are laid out in the cell in rows (and two columns when
/// crowded), always in the same order, so that no two dots or names overlap.
fn cell_view(
    i18n: I18nContext<Locale>,
    (influence, interest): (u8, u8),
    mut actors: Vec<ActorFacts>,
) -> impl IntoView + use<> {
    actors.sort_by_cached_key(|a| (a.name.to_lowercase(), a.id.clone()));
    let columns = if actors.len() > ROWS { 2 } else { 1 };
    let capacity = ROWS * columns;
    let overflow = actors.len().saturating_sub(capacity);
    let shown = if overflow > 0 {
        capacity - 1
    } else {
        actors.len()
    };
    // Both columns filled evenly, the "+N more" line counting as one.
    let slots = shown + usize::from(overflow > 0);
    let rows_in_column = slots.div_ceil(columns).clamp(1, ROWS);
    let used_rows = rows_in_column;
    let column_width = (BAND_W - 12.0) / columns as f64;
    let max_chars = ((column_width - 14.0) / 5.2).floor().max(4.0) as usize;
    let (left, top) = (band_x(interest), band_y(influence));
    let start_y = top + (BAND_H - used_rows as f64 * ROW) / 2.0 + ROW / 2.0;
    let slot = move |i: usize| {
        let (col, row) = (i / rows_in_column, i % rows_in_column);
        (
            left + 10.0 + col as f64 * column_width,
            start_y + row as f64 * ROW,
        )
    };
    let dots = actors
        .into_iter()
        .take(shown)
        .enumerate()
        .map(|(i, a)| {
            let (cx, cy) = slot(i);
            let rtl = starts_rtl(&a.name);
            let tooltip = format!(
                "{} — {} — {}",
                a.name,
                labels::category(i18n, a.category),
                t_string!(
                    i18n,
                    analysis.scores,
                    influence = a.influence,
                    interest = a.interest
                )
            );
            view! {
                <g class="grid-actor" class:broker=a.broker data-grid-actor=a.id.0.clone()>
                    <title>{tooltip}</title>
                    <circle cx=cx cy=cy r="4.5" fill=category_colour(a.category) />
                    <text
                        x=cx + 8.0
                        y=cy + 3.3
                        dir="auto"
                        direction=if rtl { "rtl" } else { "ltr" }
                        text-anchor=if rtl { "end" } else { "start" }
                    >
                        {shorten(&a.name, max_chars)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let more = (overflow > 0).then(|| {
        let (x, y) = slot(shown);
        view! {
            <text class="grid-more" x=x + 8.0 y=y + 3.3>
                {t_string!(i18n, analysis.more, n = overflow + 1).to_string()}
            </text>
        }
    });
    view! { {dots} {more} }
}

#[component]
fn PowerInterestGrid(facts: Memo<Option<Vec<ActorFacts>>>) -> impl IntoView {
    let i18n = use_i18n();
    let split_x = X0 + SPLIT * BAND_W;
    let split_y = band_y(GridQuadrant::MIDPOINT + 1) + BAND_H;
    let quadrant_rect = |q: GridQuadrant| {
        let (x, w) = match q {
            GridQuadrant::ManageClosely | GridQuadrant::KeepInformed => (split_x, X1 - split_x),
            _ => (X0, split_x - X0),
        };
        let (y, h) = match q {
            GridQuadrant::ManageClosely | GridQuadrant::KeepSatisfied => (Y0, split_y - Y0),
            _ => (split_y, Y1 - split_y),
        };
        (x, y, w, h)
    };
    let backgrounds = GridQuadrant::ALL
        .iter()
        .map(|&q| {
            let (x, y, w, h) = quadrant_rect(q);
            view! { <rect class=format!("quadrant q-{}", q.as_str()) x=x y=y width=w height=h /> }
        })
        .collect_view();
    let names = GridQuadrant::ALL
        .iter()
        .map(|&q| {
            let (x, _, w, _) = quadrant_rect(q);
            let y = match q {
                GridQuadrant::ManageClosely | GridQuadrant::KeepSatisfied => Y0 - 12.0,
                _ => Y1 + 38.0,
            };
            view! {
                <text class=format!("quadrant-name q-{}", q.as_str()) x=x + w / 2.0 y=y text-anchor="middle">
                    {move || quadrant_name(i18n, q)}
                </text>
            }
        })
        .collect_view();
    let bands = (1..5u8)
        .map(|i| {
            let x = X0 + f64::from(i) * BAND_W;
            let y = Y0 + f64::from(i) * BAND_H;
            view! {
                <line class="band" x1=x x2=x y1=Y0 y2=Y1 />
                <line class="band" x1=X0 x2=X1 y1=y y2=y />
            }
        })
        .collect_view();
    let ticks = (1..=5u8)
        .map(|s| {
            view! {
                <text class="tick" x=band_x(s) + BAND_W / 2.0 y=Y1 + 16.0 text-anchor="middle">{s}</text>
                <text class="tick" x=X0 - 10.0 y=band_y(s) + BAND_H / 2.0 + 4.0 text-anchor="end">{s}</text>
            }
        })
        .collect_view();
    let people = move || {
        let mut cells: BTreeMap<(u8, u8), Vec<ActorFacts>> = BTreeMap::new();
        for a in facts.get().unwrap_or_default() {
            cells.entry((a.influence, a.interest)).or_default().push(a);
        }
        cells
            .into_iter()
            .map(|(scores, actors)| cell_view(i18n, scores, actors))
            .collect_view()
    };
    let count = move || facts.with(|f| f.as_ref().map_or(0, Vec::len));
    let per_quadrant = move || {
        let list = facts.get().unwrap_or_default();
        GridQuadrant::ALL
            .iter()
            .map(|&q| {
                let mut members: Vec<&ActorFacts> = list.iter().filter(|a| a.quadrant == q).collect();
                members.sort_by(|a, b| {
                    (b.influence + b.interest)
                        .cmp(&(a.influence + a.interest))
                        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                });
                let items = if members.is_empty() {
                    view! { <li class="muted">{t!(i18n, analysis.empty_quadrant)}</li> }.into_any()
                } else {
                    members
                        .into_iter()
                        .map(|a| {
                            view! {
                                <li data-quadrant-actor=a.id.0.clone()>
                                    <span class="cat-dot" style=format!("--c: {}", category_colour(a.category)) aria-hidden="true"></span>
                                    <span dir="auto">{a.name.clone()}</span>
                                    " "
                                    <span class="muted">
                                        "("
                                        {t_string!(i18n, analysis.scores, influence = a.influence, interest = a.interest).to_string()}
                                        ")"
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                };
                view! {
                    <div class=format!("quadrant-card q-{}", q.as_str()) data-quadrant=q.as_str()>
                        <h4>{quadrant_name(i18n, q)}</h4>
                        <p class="hint">{quadrant_help(i18n, q)}</p>
                        <ul>{items}</ul>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="grid-section" aria-labelledby="grid-title">
            <h3 id="grid-title">{t!(i18n, analysis.grid_title)}</h3>
            <p class="hint">{t!(i18n, analysis.grid_intro)}</p>
            <figure class="pi-grid">
                <svg
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    width="100%"
                    role="img"
                    aria-label=move || t_string!(i18n, analysis.grid_label, n = count()).to_string()
                    preserveAspectRatio="xMidYMid meet"
                >
                    {backgrounds}
                    {bands}
                    <line class="split" x1=split_x x2=split_x y1=Y0 y2=Y1 />
                    <line class="split" x1=X0 x2=X1 y1=split_y y2=split_y />
                    <rect class="frame" x=X0 y=Y0 width=X1 - X0 height=Y1 - Y0 />
                    {ticks}
                    {names}
                    <text class="axis-title" x=(X0 + X1) / 2.0 y=Y1 + 62.0 text-anchor="middle">
                        {move || t_string!(i18n, analysis.interest)} " →"
                    </text>
                    <text
                        class="axis-title"
                        transform=format!("translate(22 {}) rotate(-90)", (Y0 + Y1) / 2.0)
                        text-anchor="middle"
                    >
                        {move || t_string!(i18n, analysis.influence)} " →"
                    </text>
                    <g class="grid-people">{people}</g>
                </svg>
                <figcaption>
                    <span class="legend-title">{t!(i18n, analysis.legend)}</span>
                    <ul class="category-legend">
                        {ActorCategory::ALL
                            .iter()
                            .map(|&c| {
                                view! {
                                    <li>
                                        <span class="cat-dot" style=format!("--c: {}", category_colour(c)) aria-hidden="true"></span>
                                        {move || labels::category(i18n, c)}
                                    </li>
                                }
                            })
                            .collect_view()}
                        <li>
                            <span class="cat-dot broker-ring" aria-hidden="true"></span>
                            {t!(i18n, analysis.legend_broker)}
                        </li>
                    </ul>
                </figcaption>
            </figure>
            <h4 class="quadrants-title">{t!(i18n, analysis.per_quadrant)}</h4>
            <div class="quadrant-list">{per_quadrant}</div>
        </section>
    }
}
