//! Positions and divergence: the actors × issues matrix of current stances (coaches set them
//! there), how divided each issue is, and the pairs of actors a coach looks at before a
//! mediation (allies who disagree, adversaries who agree).
//!
//! - here: the matrix and the helpers every part shares (stance colours, labels, numbers);
//! - [`editor`]: the form that records, changes or deletes one position;
//! - [`divergence`]: the divergence per issue and the two mediation lists.
//!
//! The matrix shows an actor's *current* stance on an issue the way the analysis counts it
//! ([`Divergence`]): when several positions were recorded for the same pair, the latest date
//! wins (then the highest id). Editing a cell edits that position; a cell without one gets a
//! new position.

mod divergence;
mod editor;

use crate::{
    i18n::*,
    local::LiveDoc,
    model::{
        ItemId,
        diagnosis::{ActorCategory, Diagnosis, analysis::Divergence},
    },
    ui::{document::focus_first_of, labels},
};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use std::collections::{BTreeMap, btree_map::Entry};

use super::analysis::category_colour;
use divergence::{DivergenceTable, MediationLists};
use editor::{Editing, Form, PositionEditor};

/// Stances, from −2 to +2, in display order.
const STANCES: [i8; 5] = [-2, -1, 0, 1, 2];

/// "−2", "−1", "0", "+1", "+2" (with a real minus sign).
pub(super) fn stance_text(s: i8) -> String {
    match s.signum() {
        1 => format!("+{s}"),
        -1 => format!("\u{2212}{}", s.unsigned_abs()),
        _ => "0".to_owned(),
    }
}

/// The CSS class that colours a stance (red → grey → green).
pub(super) fn stance_class(s: i8) -> &'static str {
    match s.clamp(-2, 2) {
        -2 => "st-m2",
        -1 => "st-m1",
        0 => "st-0",
        1 => "st-p1",
        _ => "st-p2",
    }
}

pub(super) fn stance_label(i18n: I18nContext<Locale>, s: i8) -> &'static str {
    match s.clamp(-2, 2) {
        -2 => t_string!(i18n, positions.stance_m2),
        -1 => t_string!(i18n, positions.stance_m1),
        0 => t_string!(i18n, positions.stance_0),
        1 => t_string!(i18n, positions.stance_p1),
        _ => t_string!(i18n, positions.stance_p2),
    }
}

/// A number with two decimals, a decimal comma in French, and an explicit sign if asked.
pub(super) fn decimal(locale: Locale, v: f64, signed: bool) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let digits = format!("{:.2}", rounded.abs());
    let digits = if locale == Locale::fr {
        digits.replace('.', ",")
    } else {
        digits
    };
    let sign = match (signed, rounded.partial_cmp(&0.0)) {
        (true, Some(std::cmp::Ordering::Greater)) => "+",
        (_, Some(std::cmp::Ordering::Less)) => "\u{2212}",
        _ => "",
    };
    format!("{sign}{digits}")
}

/// The current position of an actor on an issue.
#[derive(Clone, Debug, PartialEq)]
struct Cell {
    position: ItemId,
    stance: i8,
    date: String,
    rationale: String,
}

#[derive(Clone, Debug, PartialEq)]
struct ActorRow {
    id: ItemId,
    name: String,
    category: ActorCategory,
    /// How many issues it has a current stance on.
    positions: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct IssueCol {
    id: ItemId,
    statement: String,
    /// How many actors hold each stance, −2 first.
    counts: [usize; 5],
}

/// What the matrix shows: live actors (by category, then name), live issues (core, causes,
/// effects, then by statement) and the current stance of each pair that has one.
#[derive(Clone, Debug, Default, PartialEq)]
struct Matrix {
    actors: Vec<ActorRow>,
    issues: Vec<IssueCol>,
    /// By (actor, issue).
    cells: BTreeMap<(ItemId, ItemId), Cell>,
}

impl Matrix {
    fn of(d: &Diagnosis) -> Matrix {
        let mut cells: BTreeMap<(ItemId, ItemId), Cell> = BTreeMap::new();
        for (id, p) in d.live_positions() {
            let cell = Cell {
                position: id.clone(),
                stance: p.stance.clamp(-2, 2),
                date: p.date.clone(),
                rationale: p.rationale.clone(),
            };
            match cells.entry((p.actor.clone(), p.issue.clone())) {
                Entry::Vacant(e) => {
                    e.insert(cell);
                }
                Entry::Occupied(mut e) => {
                    let current = e.get();
                    if (cell.date.as_str(), &cell.position)
                        > (current.date.as_str(), &current.position)
                    {
                        e.insert(cell);
                    }
                }
            }
        }
        let mut actors: Vec<ActorRow> = d
            .live_actors()
            .map(|(id, a)| ActorRow {
                id: id.clone(),
                name: a.name.clone(),
                category: a.category,
                positions: 0,
            })
            .collect();
        let mut issues: Vec<(_, IssueCol)> = d
            .live_issues()
            .map(|(id, i)| {
                let col = IssueCol {
                    id: id.clone(),
                    statement: i.statement.clone(),
                    counts: [0; 5],
                };
                (i.role, col)
            })
            .collect();
        for ((actor, issue), cell) in &cells {
            if let Some(row) = actors.iter_mut().find(|r| &r.id == actor) {
                row.positions += 1;
            }
            if let Some((_, col)) = issues.iter_mut().find(|(_, c)| &c.id == issue) {
                col.counts[usize::from((cell.stance + 2).unsigned_abs())] += 1;
            }
        }
        actors.sort_by_cached_key(|r| (r.category, r.name.to_lowercase(), r.id.clone()));
        issues.sort_by_cached_key(|(role, c)| (*role, c.statement.to_lowercase(), c.id.clone()));
        Matrix {
            actors,
            issues: issues.into_iter().map(|(_, c)| c).collect(),
            cells,
        }
    }

    fn actor_name(&self, id: &ItemId) -> String {
        self.actors
            .iter()
            .find(|r| &r.id == id)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| id.0.clone())
    }

    fn issue_statement(&self, id: &ItemId) -> String {
        self.issues
            .iter()
            .find(|c| &c.id == id)
            .map(|c| c.statement.clone())
            .unwrap_or_else(|| id.0.clone())
    }
}

#[component]
pub fn Positions() -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<super::Ctx>();
    let live = ctx.live;
    let matrix = Memo::new(move |_| ctx.data.with(|d| d.as_ref().map(Matrix::of)));
    let divergence = Memo::new(move |_| ctx.data.with(|d| d.as_ref().map(Divergence::compute)));
    let show_all = RwSignal::new(false);
    let editing: RwSignal<Option<Editing>> = RwSignal::new(None);
    let form = Form::new();

    let open = Callback::new(move |(actor, issue): (ItemId, ItemId)| {
        let Some(m) = matrix.get_untracked() else {
            return;
        };
        let existing = m.cells.get(&(actor.clone(), issue.clone())).and_then(|c| {
            ctx.data
                .with_untracked(|d| d.as_ref()?.positions.get(&c.position).cloned())
                .map(|p| (c.position.clone(), p))
        });
        let (position, original) = match existing {
            Some((id, p)) => (id, Some(p)),
            None => (ItemId::random(), None),
        };
        form.fill(original.as_ref());
        live.editing(Some(format!("positions/{position}")));
        editing.set(Some(Editing {
            position,
            actor_name: m.actor_name(&actor),
            issue_statement: m.issue_statement(&issue),
            actor,
            issue,
            original,
        }));
        focus_first_of(vec![
            "#position-editor input[name=stance]:checked".to_owned(),
            "#position-editor input[name=stance]".to_owned(),
        ]);
    });

    let close = Callback::new(move |_: ()| {
        if let Some(e) = editing.get_untracked() {
            live.editing(None);
            editing.set(None);
            focus_first_of(vec![format!(
                "[data-stance-cell=\"{}:{}\"] button",
                e.actor, e.issue
            )]);
        }
    });
    on_cleanup(move || {
        if editing.try_get_untracked().flatten().is_some() {
            live.editing(None);
        }
    });

    view! {
        <div class="positions-view">
            <h2 class="tab-title">{t!(i18n, positions.title)}</h2>
            <p class="hint">
                {t!(i18n, positions.intro)}
                {live.can_write.then(|| view! { " " {t!(i18n, positions.intro_edit)} })}
            </p>
            {move || {
                matrix
                    .with(Option::is_none)
                    .then(|| view! { <p class="notice">{t!(i18n, common.loading)}</p> })
            }}
            <Show when=move || matrix.with(Option::is_some)>
                <section class="stance-matrix" aria-labelledby="stance-matrix-title">
                    <h3 id="stance-matrix-title">{t!(i18n, positions.matrix_title)}</h3>
                    <StanceMatrix matrix=matrix show_all=show_all editing=editing open=open />
                    <StanceKey />
                </section>
                {move || {
                    editing.get().map(|e| view! { <PositionEditor editing=e form=form close=close /> })
                }}
                <DivergenceTable matrix=matrix divergence=divergence />
                <MediationLists matrix=matrix divergence=divergence />
            </Show>
        </div>
    }
}

#[component]
fn StanceMatrix(
    matrix: Memo<Option<Matrix>>,
    show_all: RwSignal<bool>,
    editing: RwSignal<Option<Editing>>,
    open: Callback<(ItemId, ItemId)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let live = expect_context::<super::Ctx>().live;
    let counts = move || {
        matrix.with(|m| {
            m.as_ref().map_or((0, 0), |m| {
                let with = m.actors.iter().filter(|r| r.positions > 0).count();
                (with, m.actors.len())
            })
        })
    };
    let table = move || {
        let m = matrix.get()?;
        let notice = |text: AnyView| Some(view! { <p class="notice">{text}</p> }.into_any());
        if m.issues.is_empty() {
            return notice(t!(i18n, positions.no_issues).into_any());
        }
        if m.actors.is_empty() {
            return notice(t!(i18n, positions.no_actors).into_any());
        }
        let all = show_all.get();
        let rows: Vec<ActorRow> = m
            .actors
            .iter()
            .filter(|r| all || r.positions > 0)
            .cloned()
            .collect();
        if rows.is_empty() {
            return if live.can_write {
                notice(t!(i18n, positions.no_positions_edit).into_any())
            } else {
                notice(t!(i18n, positions.no_positions).into_any())
            };
        }
        let head = m
            .issues
            .iter()
            .map(|c| {
                let title = c.statement.clone();
                view! {
                    <th scope="col" class="issue-head">
                        <span dir="auto" title=title>{c.statement.clone()}</span>
                    </th>
                }
            })
            .collect_view();
        let body = rows
            .into_iter()
            .map(|row| {
                let cells = m
                    .issues
                    .iter()
                    .map(|col| {
                        let cell = m.cells.get(&(row.id.clone(), col.id.clone())).cloned();
                        stance_cell(i18n, live, editing, open, &row, col, cell)
                    })
                    .collect_view();
                let dot = format!("--c: {}", category_colour(row.category));
                view! {
                    <tr>
                        <th scope="row" class="actor-head">
                            <span class="cat-dot" style=dot title=labels::category(i18n, row.category)></span>
                            <span dir="auto">{row.name.clone()}</span>
                        </th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        Some(
            view! {
                <div class="table-wrap matrix-wrap">
                    <table class="matrix">
                        <caption class="sr-text">{t!(i18n, positions.matrix_caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col" class="actor-head corner">{t!(i18n, positions.actor)}</th>
                                {head}
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <div class="matrix-tools">
            <label class="check">
                <input
                    type="checkbox"
                    data-show-all-actors=""
                    prop:checked=move || show_all.get()
                    on:change=move |ev| show_all.set(event_target_checked(&ev))
                />
                <span>{t!(i18n, positions.show_all)}</span>
            </label>
            <span class="hint" aria-live="polite">
                {move || {
                    let (with, total) = counts();
                    let shown = if show_all.get() { total } else { with };
                    t_string!(i18n, positions.shown_count, shown = shown, total = total).to_string()
                }}
            </span>
        </div>
        {table}
    }
}

/// One cell of the matrix: a button for coaches, plain text for everyone else.
fn stance_cell(
    i18n: I18nContext<Locale>,
    live: LiveDoc,
    editing: RwSignal<Option<Editing>>,
    open: Callback<(ItemId, ItemId)>,
    row: &ActorRow,
    col: &IssueCol,
    cell: Option<Cell>,
) -> impl IntoView + use<> {
    let key = format!("{}:{}", row.id, col.id);
    let class = format!(
        "stance-cell {}",
        cell.as_ref().map_or("empty", |c| stance_class(c.stance))
    );
    let shown = cell
        .as_ref()
        .map_or_else(String::new, |c| stance_text(c.stance));
    let spoken = cell.as_ref().map_or_else(
        || t_string!(i18n, positions.no_stance).to_owned(),
        |c| format!("{} {}", stance_text(c.stance), stance_label(i18n, c.stance)),
    );
    let title = match &cell {
        Some(c) if !c.rationale.is_empty() => format!("{spoken} — {}", c.rationale),
        None if live.can_write => t_string!(i18n, positions.add_stance).to_owned(),
        _ => spoken.clone(),
    };
    // Someone else editing this position: a dot in their colour.
    let path = cell.as_ref().map(|c| format!("positions/{}", c.position));
    let busy_note = move || {
        let people = live.editors_of(path.as_ref()?);
        let hue = format!("--hue: {}", people.first()?.hue());
        let names: Vec<String> = people.into_iter().map(|p| p.name).collect();
        let text = t_string!(i18n, positions.edited_by, names = names.join(", ")).to_string();
        let tooltip = text.clone();
        Some(view! {
            <span class="busy-mark" style=hue title=tooltip>
                <span class="sr-text">{text}</span>
            </span>
        })
    };
    let (actor, issue) = (row.id.clone(), col.id.clone());
    let selected = {
        let (actor, issue) = (actor.clone(), issue.clone());
        move || {
            editing.with(|e| {
                e.as_ref()
                    .is_some_and(|e| e.actor == actor && e.issue == issue)
            })
        }
    };
    let content = view! {
        <span class="stance-num" aria-hidden="true">{shown}</span>
        <span class="sr-text">{spoken}</span>
        {busy_note}
    };
    let inner = if live.can_write {
        view! {
            <button
                type="button"
                class="cell-button"
                title=title
                aria-haspopup="dialog"
                on:click=move |_| open.run((actor.clone(), issue.clone()))
            >
                {content}
            </button>
        }
        .into_any()
    } else {
        view! { <span class="cell-text" title=title>{content}</span> }.into_any()
    };
    view! {
        <td data-stance-cell=key class=class class:selected=selected>
            {inner}
        </td>
    }
}

/// The colour key of the matrix.
#[component]
fn StanceKey() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="stance-key">
            <span class="key-title">{t!(i18n, positions.legend)}</span>
            <ul>
                {STANCES
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li>
                                <span class=format!("stance-chip {}", stance_class(s)) dir="ltr">
                                    {stance_text(s)}
                                </span>
                                " "
                                {move || stance_label(i18n, s)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// A coloured "+2" with its meaning for screen readers.
fn stance_chip(i18n: I18nContext<Locale>, s: i8) -> impl IntoView + use<> {
    view! {
        <span class=format!("stance-chip {}", stance_class(s)) title=stance_label(i18n, s)>
            <span dir="ltr" aria-hidden="true">{stance_text(s)}</span>
            <span class="sr-text">{format!("{} {}", stance_text(s), stance_label(i18n, s))}</span>
        </span>
    }
}
