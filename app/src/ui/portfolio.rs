//! `/portfolio`: the managers' read-only dashboard across every territory the viewer belongs
//! to — actions by status, late actions, budget planned vs committed, indicator progress — from
//! the server's read model, with filters in the address (so a filtered view can be shared and
//! printed), CSV exports, and a print layout. It refreshes itself every second, so a coach's
//! edit shows while the manager watches.

use crate::{
    accounts::{
        AccountError, Portfolio, PortfolioAction, PortfolioFilter, api::portfolio_overview,
    },
    i18n::*,
    ui::{labels, territories::SignInFirst},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const STATUSES: [&str; 5] = ["planned", "in_progress", "done", "blocked", "dropped"];

fn status_label(i18n: leptos_i18n::I18nContext<Locale>, s: &str) -> &'static str {
    match s {
        "planned" => t_string!(i18n, portfolio.status_planned),
        "in_progress" => t_string!(i18n, portfolio.status_in_progress),
        "done" => t_string!(i18n, portfolio.status_done),
        "blocked" => t_string!(i18n, portfolio.status_blocked),
        _ => t_string!(i18n, portfolio.status_dropped),
    }
}

fn status_colour(s: &str) -> &'static str {
    match s {
        "planned" => "#8a969a",
        "in_progress" => "#2b5c8a",
        "done" => "#2f6b4f",
        "blocked" => "#c0392b",
        _ => "#b9b3a7",
    }
}

/// 1234567.8 → "1 234 568" (French-style grouping, whatever the locale: figures stay LTR).
pub fn group_digits(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn query_string(f: &PortfolioFilter) -> String {
    let mut parts = Vec::new();
    if let Some(t) = f.territory {
        parts.push(format!("territory={t}"));
    }
    for (k, v) in [("status", &f.status), ("from", &f.from), ("to", &f.to)] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={v}"));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let text = |k: &str| q.get(k).filter(|v| !v.is_empty());
        PortfolioFilter {
            territory: q.get("territory").and_then(|t| t.parse().ok()),
            status: text("status"),
            from: text("from"),
            to: text("to"),
        }
    });
    // Refetched every second while the page is open.
    let tick = RwSignal::new(0u64);
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t += 1),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let data = Resource::new_blocking(
        move || (filter.get(), tick.get()),
        |(f, _)| portfolio_overview(f.territory, f.status, f.from, f.to),
    );
    // Keep showing the last answer while the next one loads, so the page does not flicker.
    let last: RwSignal<Option<Result<Portfolio, AccountError>>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(r) = data.get() {
            last.set(Some(r));
        }
    });
    let current = move || data.get().or_else(|| last.get());
    view! {
        <section class="page portfolio">
            <h1>{t!(i18n, portfolio.title)}</h1>
            <p class="intro">{t!(i18n, portfolio.intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || {
                    current()
                        .map(|result| match result {
                            Err(AccountError::NotSignedIn) => view! { <SignInFirst next="/portfolio".into() /> }.into_any(),
                            Err(e) => view! { <p class="error" role="alert">{labels::error(i18n, &e)}</p> }.into_any(),
                            Ok(p) => view! { <Dashboard portfolio=p filter=filter.get() /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Dashboard(portfolio: Portfolio, filter: PortfolioFilter) -> impl IntoView {
    let i18n = use_i18n();
    let p = portfolio;
    let late: Vec<PortfolioAction> = p.actions.iter().filter(|a| a.late).cloned().collect();
    let budget: f64 = p.actions.iter().map(|a| a.budget).sum();
    let committed: f64 = p.actions.iter().map(|a| a.committed).sum();
    let qs = query_string(&filter);
    let selected_territory = filter.territory;
    let selected_status = filter.status.clone().unwrap_or_default();
    let counts: Vec<(&'static str, usize)> = STATUSES
        .iter()
        .map(|s| (*s, p.actions.iter().filter(|a| a.status == *s).count()))
        .collect();
    let max_count = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    // Budget per territory.
    let mut per_territory: Vec<(String, f64, f64)> = Vec::new();
    for a in &p.actions {
        match per_territory.iter_mut().find(|t| t.0 == a.territory_name) {
            Some(t) => {
                t.1 += a.budget;
                t.2 += a.committed;
            }
            None => per_territory.push((a.territory_name.clone(), a.budget, a.committed)),
        }
    }
    let max_budget = per_territory
        .iter()
        .map(|t| t.1.max(t.2))
        .fold(0.0, f64::max)
        .max(1.0);
    let today = p.today.clone();
    view! {
        <form class="filters-bar card" method="get" action="/portfolio">
            <label>
                <span>{t!(i18n, portfolio.territory)}</span>
                <select name="territory">
                    <option value="">{t!(i18n, portfolio.all_territories)}</option>
                    {p.territories.iter().map(|(id, name)| {
                        let id = *id;
                        view! { <option value=id.to_string() selected=selected_territory == Some(id)>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, portfolio.status)}</span>
                <select name="status">
                    <option value="">{t!(i18n, portfolio.all_statuses)}</option>
                    {STATUSES.iter().map(|s| view! { <option value=*s selected=selected_status == *s>{status_label(i18n, s)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, portfolio.from)}</span>
                <input type="date" name="from" value=filter.from.clone().unwrap_or_default() />
            </label>
            <label>
                <span>{t!(i18n, portfolio.to)}</span>
                <input type="date" name="to" value=filter.to.clone().unwrap_or_default() />
            </label>
            <button type="submit" class="button">{t!(i18n, portfolio.apply)}</button>
            <a class="button secondary" href="/portfolio">{t!(i18n, portfolio.reset)}</a>
        </form>
        <div class="exports" role="group" aria-label=move || t_string!(i18n, portfolio.exports)>
            <a class="button small secondary" href=format!("/api/portfolio/actions.csv{qs}") download>{t!(i18n, portfolio.export_actions_csv)}</a>
            <a class="button small secondary" href=format!("/api/portfolio/indicators.csv{qs}") download>{t!(i18n, portfolio.export_indicators_csv)}</a>
            <a class="button small secondary" href=format!("/api/portfolio/report.xlsx{qs}") download>{t!(i18n, portfolio.export_xlsx)}</a>
            <button type="button" class="button small secondary" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(w) = web_sys::window() { let _ = w.print(); }
            }>{t!(i18n, portfolio.print)}</button>
            <span class="print-only">{t_string!(i18n, portfolio.report_of, date = today.clone()).to_string()}</span>
        </div>
        <div class="kpis">
            <div class="kpi card" data-kpi="actions"><span class="figure">{p.actions.len()}</span><span>{t!(i18n, portfolio.actions)}</span></div>
            <div class="kpi card late" data-kpi="late"><span class="figure">{late.len()}</span><span>{t!(i18n, portfolio.late)}</span></div>
            <div class="kpi card" data-kpi="budget"><span class="figure" dir="ltr">{group_digits(budget)}</span><span>{t!(i18n, portfolio.budget)} " (MAD)"</span></div>
            <div class="kpi card" data-kpi="committed"><span class="figure" dir="ltr">{group_digits(committed)}</span><span>{t!(i18n, portfolio.committed)} " (MAD)"</span></div>
        </div>
        {if p.actions.is_empty() {
            view! { <p class="notice">{t!(i18n, portfolio.no_data)}</p> }.into_any()
        } else {
            view! {
                <div class="charts">
                    <figure class="card chart">
                        <figcaption>{t!(i18n, portfolio.by_status)}</figcaption>
                        <svg viewBox="0 0 320 170" role="img" aria-label=move || t_string!(i18n, portfolio.by_status)>
                            {counts.iter().enumerate().map(|(i, (s, n))| {
                                let h = 110.0 * (*n as f64) / (max_count as f64);
                                let x = 14.0 + i as f64 * 62.0;
                                view! {
                                    <g data-status-bar=*s>
                                        <rect x=x y=130.0 - h width="44" height=h fill=status_colour(s) rx="3" />
                                        <text x=x + 22.0 y=124.0 - h text-anchor="middle" class="value">{*n}</text>
                                        <text x=x + 22.0 y="150" text-anchor="middle" class="axis">{status_label(i18n, s)}</text>
                                    </g>
                                }
                            }).collect_view()}
                        </svg>
                    </figure>
                    <figure class="card chart">
                        <figcaption>{t!(i18n, portfolio.budget_by_territory)}</figcaption>
                        <svg viewBox=format!("0 0 320 {}", 20 + per_territory.len() * 46) role="img" aria-label=move || t_string!(i18n, portfolio.budget_by_territory)>
                            {per_territory.iter().enumerate().map(|(i, (name, b, c))| {
                                let y = 10.0 + i as f64 * 46.0;
                                let wb = 300.0 * b / max_budget;
                                let wc = 300.0 * c / max_budget;
                                view! {
                                    <g>
                                        <text x="10" y=y + 8.0 class="axis name">{name.clone()}</text>
                                        <rect x="10" y=y + 13.0 width=wb height="11" fill="#d9d2c5" rx="2"><title>{group_digits(*b)} " MAD"</title></rect>
                                        <rect x="10" y=y + 26.0 width=wc height="11" fill="#b4572e" rx="2"><title>{group_digits(*c)} " MAD"</title></rect>
                                    </g>
                                }
                            }).collect_view()}
                        </svg>
                        <p class="legend"><span class="sw planned"></span>{t!(i18n, portfolio.budget)} <span class="sw committed"></span>{t!(i18n, portfolio.committed)}</p>
                    </figure>
                </div>
            }.into_any()
        }}
        <h2>{t!(i18n, portfolio.late_actions)}</h2>
        {if late.is_empty() {
            view! { <p>{t!(i18n, portfolio.no_late)}</p> }.into_any()
        } else {
            view! { <ActionTable actions=late /> }.into_any()
        }}
        <h2>{t!(i18n, portfolio.actions)}</h2>
        <ActionTable actions=p.actions.clone() />
        <h2>{t!(i18n, portfolio.indicators)}</h2>
        {if p.indicators.is_empty() {
            view! { <p>{t!(i18n, portfolio.no_indicators)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="indicators">
                        <thead><tr>
                            <th scope="col">{t!(i18n, portfolio.territory)}</th>
                            <th scope="col">{t!(i18n, portfolio.indicator)}</th>
                            <th scope="col">{t!(i18n, portfolio.baseline)}</th>
                            <th scope="col">{t!(i18n, portfolio.current)}</th>
                            <th scope="col">{t!(i18n, portfolio.target)}</th>
                            <th scope="col">{t!(i18n, portfolio.progress)}</th>
                        </tr></thead>
                        <tbody>
                            {p.indicators.iter().map(|ind| {
                                let num = |v: Option<f64>| v.map(|v| format!("{v} {}", ind.unit)).unwrap_or_else(|| "—".into());
                                let pct = ind.progress.map(|v| v.clamp(0.0, 150.0));
                                view! {
                                    <tr data-indicator=ind.item.clone()>
                                        <td dir="auto">{ind.territory_name.clone()}</td>
                                        <td dir="auto">{ind.name.clone()}</td>
                                        <td dir="ltr">{num(ind.baseline)}</td>
                                        <td dir="ltr">{num(ind.current)}</td>
                                        <td dir="ltr">{num(ind.target)} " " <small>{ind.target_period.clone()}</small></td>
                                        <td>
                                            {match pct {
                                                Some(v) => view! {
                                                    <span class="progress" role="img" aria-label=format!("{v:.0} %")>
                                                        <span class="bar" style=format!("inline-size: {}%", v.min(100.0))></span>
                                                    </span>
                                                    <span dir="ltr">{format!("{v:.0} %")}</span>
                                                }.into_any(),
                                                None => view! { "—" }.into_any(),
                                            }}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn ActionTable(actions: Vec<PortfolioAction>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="actions">
                <thead><tr>
                    <th scope="col">{t!(i18n, portfolio.territory)}</th>
                    <th scope="col">{t!(i18n, portfolio.action)}</th>
                    <th scope="col">{t!(i18n, portfolio.lead)}</th>
                    <th scope="col">{t!(i18n, portfolio.status)}</th>
                    <th scope="col">{t!(i18n, portfolio.progress)}</th>
                    <th scope="col">{t!(i18n, portfolio.due)}</th>
                    <th scope="col">{t!(i18n, portfolio.budget)}</th>
                    <th scope="col">{t!(i18n, portfolio.committed)}</th>
                </tr></thead>
                <tbody>
                    {actions.into_iter().map(|a| view! {
                        <tr data-portfolio-action=a.item.clone() class:late=a.late>
                            <td dir="auto">{a.territory_name.clone()}</td>
                            <td>
                                <a href=format!("/documents/{}", a.document) dir="auto">{a.title.clone()}</a>
                                <br /><small dir="auto">{a.orientation.clone()}</small>
                            </td>
                            <td dir="auto">{a.lead.clone()}</td>
                            <td><span class=format!("badge status-{}", a.status)>{status_label(i18n, &a.status)}</span>
                                {a.late.then(|| view! { " " <span class="badge late-badge">{t!(i18n, portfolio.late)}</span> })}</td>
                            <td dir="ltr">{format!("{:.0} %", a.progress)}</td>
                            <td><time datetime=a.due.clone()>{a.due.clone()}</time></td>
                            <td dir="ltr" class="num">{group_digits(a.budget)}</td>
                            <td dir="ltr" class="num">{group_digits(a.committed)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(group_digits(0.0), "0");
        assert_eq!(group_digits(999.4), "999");
        assert_eq!(group_digits(1_234_567.8), "1\u{202f}234\u{202f}568");
        assert_eq!(group_digits(-45_000.0), "-45\u{202f}000");
    }

    #[test]
    fn filters_become_a_query_string() {
        let f = PortfolioFilter {
            territory: Some(3),
            status: Some("done".into()),
            from: None,
            to: Some("2026-12-31".into()),
        };
        assert_eq!(query_string(&f), "?territory=3&status=done&to=2026-12-31");
        assert_eq!(query_string(&PortfolioFilter::default()), "");
    }
}
