//! How divided each issue is, and the pairs of actors a coach prepares a mediation with.

use super::{IssueCol, Matrix, STANCES, decimal, stance_chip, stance_class, stance_text};
use crate::{
    i18n::*,
    model::diagnosis::analysis::{Divergence, IssueStances, StanceStats},
    ui::{diagnosis::analysis::category_colour, labels},
};
use leptos::prelude::*;

/// Issues sorted by how divided the actors are, with the distribution of stances.
#[component]
pub(super) fn DivergenceTable(
    matrix: Memo<Option<Matrix>>,
    divergence: Memo<Option<Divergence>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        let locale = i18n.get_locale();
        let m = matrix.get()?;
        let v = divergence.get()?;
        let mut issues: Vec<(usize, IssueCol, IssueStances)> = m
            .issues
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let stats = v.per_issue.get(&c.id).cloned().unwrap_or_default();
                (i, c, stats)
            })
            .collect();
        // Most divided first; issues nobody took a stance on last, in matrix order.
        issues.sort_by(|a, b| {
            let spread = |s: &IssueStances| s.overall.as_ref().map(|s| (s.std_dev, s.count));
            match (spread(&a.2), spread(&b.2)) {
                (Some(x), Some(y)) => y.0.total_cmp(&x.0).then(y.1.cmp(&x.1)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then(a.0.cmp(&b.0))
        });
        if issues.is_empty() {
            return Some(
                view! { <p class="notice">{t!(i18n, positions.no_issues)}</p> }.into_any(),
            );
        }
        // Column names repeated in each cell, shown when the table stacks on a phone.
        let names = [
            t_string!(i18n, positions.count),
            t_string!(i18n, positions.mean),
            t_string!(i18n, positions.std_dev),
            t_string!(i18n, positions.range),
            t_string!(i18n, positions.by_category),
        ];
        let body = issues
            .into_iter()
            .map(|(_, col, IssueStances { overall, by_category })| {
                let label = {
                    let [m2, m1, z, p1, p2] = col.counts;
                    let mean = overall.as_ref().map_or_else(|| "—".to_owned(), |s| decimal(locale, s.mean, true));
                    t_string!(i18n, positions.distribution_label, m2 = m2, m1 = m1, z = z, p1 = p1, p2 = p2, mean = mean)
                        .to_string()
                };
                let strip = stance_strip(col.counts, overall.as_ref(), label);
                let figures = match &overall {
                    Some(s) => view! {
                        <td class="num" data-label=names[0]>{s.count}</td>
                        <td class="num" data-label=names[1]><span dir="ltr">{decimal(locale, s.mean, true)}</span></td>
                        <td class="num" data-label=names[2]><strong dir="ltr">{decimal(locale, s.std_dev, false)}</strong></td>
                        <td class="num" data-label=names[3]>
                            <span dir="ltr">{format!("{} … {}", stance_text(s.min), stance_text(s.max))}</span>
                        </td>
                    }
                        .into_any(),
                    None => view! {
                        <td class="num" data-label=names[0]>"0"</td>
                        <td colspan="3" class="muted no-stance">{t!(i18n, positions.no_stance_yet)}</td>
                    }
                        .into_any(),
                };
                let categories = by_category
                    .into_iter()
                    .map(|(cat, s)| {
                        view! {
                            <li>
                                <span class="cat-dot" style=format!("--c: {}", category_colour(cat)) aria-hidden="true"></span>
                                <span class="cat-name">{labels::category(i18n, cat)}</span>
                                " "
                                <span class="cat-figures" dir="ltr">
                                    {format!(
                                        "{} ± {} · {}…{} · {}",
                                        decimal(locale, s.mean, true),
                                        decimal(locale, s.std_dev, false),
                                        stance_text(s.min),
                                        stance_text(s.max),
                                        s.count,
                                    )}
                                </span>
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <tr data-divergence-row=col.id.0.clone()>
                        <th scope="row" class="issue-cell"><span dir="auto">{col.statement.clone()}</span></th>
                        <td class="strip-cell">{strip}</td>
                        {figures}
                        <td class="by-category-cell" data-label=names[4]><ul class="by-category">{categories}</ul></td>
                    </tr>
                }
            })
            .collect_view();
        Some(
            view! {
                <div class="table-wrap">
                    <table class="divergence">
                        <caption>{t!(i18n, positions.divergence_caption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, positions.issue)}</th>
                                <th scope="col">
                                    {t!(i18n, positions.distribution)} " " <span dir="ltr" class="muted">"(−2 … +2)"</span>
                                </th>
                                <th scope="col" class="num">{t!(i18n, positions.count)}</th>
                                <th scope="col" class="num">{t!(i18n, positions.mean)}</th>
                                <th scope="col" class="num" aria-sort="descending">{t!(i18n, positions.std_dev)}</th>
                                <th scope="col" class="num">{t!(i18n, positions.range)}</th>
                                <th scope="col">{t!(i18n, positions.by_category)}</th>
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
        <section class="divergence-section" aria-labelledby="divergence-title">
            <h3 id="divergence-title">{t!(i18n, positions.divergence_title)}</h3>
            {rows}
        </section>
    }
}

/// A strip from −2 to +2: a dot per stance sized by how many hold it, the mean and the
/// spread (mean ± one standard deviation) behind.
fn stance_strip(
    counts: [usize; 5],
    stats: Option<&StanceStats>,
    label: String,
) -> impl IntoView + use<> {
    const Y: f64 = 17.0;
    let x = |s: f64| 100.0 + s * 40.0;
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let band = stats.map(|s| {
        let (lo, hi) = ((s.mean - s.std_dev).max(-2.0), (s.mean + s.std_dev).min(2.0));
        view! {
            <rect class="spread" x=x(lo) y=Y - 9.0 width=(x(hi) - x(lo)).max(2.0) height="18" rx="9" />
            <path class="mean" d=format!("M{} {} l-5 -7 h10 z", x(s.mean), Y - 10.0) />
        }
    });
    let dots = STANCES
        .into_iter()
        .zip(counts)
        .map(|(s, n)| {
            let cx = x(f64::from(s));
            let dot = (n > 0).then(|| {
                let r = 3.5 + 7.5 * (n as f64 / max).sqrt();
                view! { <circle class=stance_class(s) cx=cx cy=Y r=r /> }
            });
            view! {
                <line class="tick" x1=cx x2=cx y1=Y - 3.0 y2=Y + 3.0 />
                {dot}
                <text class="count" x=cx y="40" text-anchor="middle">{if n > 0 { n.to_string() } else { "·".to_owned() }}</text>
            }
        })
        .collect_view();
    view! {
        <svg class="stance-strip" viewBox="0 0 200 44" role="img" aria-label=label>
            <line class="axis" x1="12" x2="188" y1=Y y2=Y />
            {band}
            {dots}
        </svg>
    }
}

/// The two lists a coach prepares a mediation with.
#[component]
pub(super) fn MediationLists(
    matrix: Memo<Option<Matrix>>,
    divergence: Memo<Option<Divergence>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = move |allies: bool| {
        let m = matrix.get().unwrap_or_default();
        let mut pairs = divergence
            .with(|v| {
                v.as_ref().map(|v| {
                    if allies {
                        v.allies_who_disagree.clone()
                    } else {
                        v.conflicts_that_agree.clone()
                    }
                })
            })
            .unwrap_or_default();
        let items = if pairs.is_empty() {
            view! { <li class="none">{t!(i18n, positions.none_found)}</li> }.into_any()
        } else {
            pairs.sort_by_key(|p| {
                m.issues
                    .iter()
                    .position(|c| c.id == p.issue)
                    .unwrap_or(usize::MAX)
            });
            pairs
                .into_iter()
                .map(|p| {
                    view! {
                        <li data-issue=p.issue.0.clone() data-actors=format!("{}:{}", p.a, p.b)>
                            <span class="pair-name" dir="auto">{m.actor_name(&p.a)}</span>
                            {stance_chip(i18n, p.a_stance)}
                            <span class="pair-name" dir="auto">{m.actor_name(&p.b)}</span>
                            {stance_chip(i18n, p.b_stance)}
                            <span class="on-issue">
                                {t!(i18n, positions.on_issue)}
                                " "
                                <span class="issue-name" dir="auto">{m.issue_statement(&p.issue)}</span>
                                <span class="gap badge">
                                    {t_string!(i18n, positions.gap, n = p.gap).to_string()}
                                </span>
                            </span>
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        };
        if allies {
            view! { <ul class="pair-list" data-allies-disagree="">{items}</ul> }.into_any()
        } else {
            view! { <ul class="pair-list" data-conflict-agree="">{items}</ul> }.into_any()
        }
    };
    view! {
        <section class="mediation" aria-labelledby="mediation-title">
            <h3 id="mediation-title">{t!(i18n, positions.mediation_title)}</h3>
            <div class="mediation-columns">
                <div class="card mediation-card allies">
                    <h4>{t!(i18n, positions.allies_title)}</h4>
                    <p class="hint">{t!(i18n, positions.allies_help)}</p>
                    {move || list(true)}
                </div>
                <div class="card mediation-card bridges">
                    <h4>{t!(i18n, positions.conflict_title)}</h4>
                    <p class="hint">{t!(i18n, positions.conflict_help)}</p>
                    {move || list(false)}
                </div>
            </div>
        </section>
    }
}
