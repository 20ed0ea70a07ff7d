//! The action tab: one action's fields, its partners, the diagnosis issues it answers, and its
//! indicators with their targets and progress.

use super::{
    ConfirmDelete, Ctx, Editors, Open, forms::FormHost, money, status_badge, tree::progress_bar,
};
use crate::{
    i18n::*,
    model::{
        ItemId,
        action_plan::{IssueLink, Partner, Target, doc},
        record,
    },
};
use leptos::prelude::*;

#[component]
pub(crate) fn ActionDetail() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let choices = Memo::new(move |_| {
        ctx.with_plan(|p| {
            p.live_actions()
                .map(|(id, a)| (id.0.clone(), a.title.clone()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let selected = Memo::new(move |_| {
        ctx.selected.get().filter(|id| {
            ctx.with_plan(|p| p.actions.get(id).is_some_and(|a| !a.deleted))
                .unwrap_or(false)
        })
    });
    view! {
        <FormHost />
        <div class="row-form action-picker">
            <label for="pick-action">{t!(i18n, plan.choose_action)}</label>
            <select id="pick-action" on:change=move |e| {
                let v = event_target_value(&e);
                ctx.selected.set((!v.is_empty()).then_some(ItemId(v)));
            }>
                <option value="">"—"</option>
                {move || {
                    let current = ctx.selected.get().map(|i| i.0).unwrap_or_default();
                    choices.get().into_iter().map(|(v, l)| view! { <option value=v.clone() selected=v == current>{l}</option> }).collect_view()
                }}
            </select>
        </div>
        {move || match selected.get() {
            Some(id) => view! { <Detail id=id /> }.into_any(),
            None => view! { <h2 class="panel-title" tabindex="-1">{t!(i18n, plan.tab_action)}</h2><p class="hint">{t!(i18n, plan.pick_action)}</p> }.into_any(),
        }}
    }
}

#[component]
fn Detail(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let action = Memo::new({
        let id = id.clone();
        move |_| ctx.with_plan(|p| p.actions.get(&id).cloned()).flatten()
    });
    let today = ctx.today.get_value();
    let fields = move || {
        let a = action.get()?;
        let orientation = a.orientation.as_ref().and_then(|o| {
            ctx.with_plan(|p| p.orientations.get(o).map(|o| o.title.clone()))
                .flatten()
        });
        let late = a.is_late(&today);
        let row = |label: String, value: String| {
            view! { <div><dt>{label}</dt><dd dir="auto">{if value.is_empty() { "—".to_owned() } else { value }}</dd></div> }
        };
        Some(view! {
            <h2 class="panel-title" tabindex="-1" dir="auto">{a.title.clone()}</h2>
            <p class="action-meta">
                {status_badge(i18n, a.status)}
                {late.then(|| view! { <span class="badge late-badge" data-late="">{t!(i18n, plan.late)}</span> })}
            </p>
            {progress_bar(Some(a.effective_progress()), t_string!(i18n, plan.f_progress).to_owned())}
            <dl class="action-fields">
                {row(t_string!(i18n, plan.f_orientation).into(), orientation.unwrap_or_default())}
                {row(t_string!(i18n, plan.f_lead).into(), a.lead.as_ref().map(|l| ctx.actor_name(l)).unwrap_or_default())}
                {row(t_string!(i18n, plan.f_start).into(), a.start.clone())}
                {row(t_string!(i18n, plan.f_due).into(), a.due.clone())}
                {row(t_string!(i18n, plan.f_budget).into(), money(i18n, a.budget))}
                {row(t_string!(i18n, plan.f_committed).into(), money(i18n, a.committed))}
                {row(t_string!(i18n, plan.f_weight).into(), a.weight.to_string())}
                {row(t_string!(i18n, plan.f_risks).into(), a.risks.clone())}
                {row(t_string!(i18n, plan.f_assumptions).into(), a.assumptions.clone())}
            </dl>
        })
    };
    let controls = ctx.can_write().then(|| {
        let (e, d) = (id.clone(), id.clone());
        view! {
            <div class="row-actions">
                <button type="button" class="small" data-edit-action=e.to_string() on:click=move |_| ctx.open.set(Some(Open::EditAction(e.clone())))>{t!(i18n, plan.edit)}</button>
                <ConfirmDelete on_delete=move |_| {
                    let id = d.clone();
                    ctx.live.edit(move |doc| doc::delete(doc, "actions", &id));
                    ctx.selected.set(None);
                } />
            </div>
        }
    });
    let (key, path) = (id.to_string(), format!("actions/{id}"));
    view! {
        <article class="action-detail" data-action=key>
            <Editors path=path />
            {fields}
            {controls}
            <Partners id=id.clone() />
            <Links id=id.clone() />
            <Indicators id=id />
        </article>
    }
}

#[component]
fn Partners(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let list = Memo::new({
        let id = id.clone();
        move |_| {
            ctx.with_plan(|p| {
                p.partners
                    .iter()
                    .filter(|(_, x)| !x.deleted && x.action == id)
                    .map(|(pid, x)| (pid.clone(), x.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        }
    });
    let actor = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let contribution = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let a = actor.get_untracked();
        if a.is_empty() {
            return;
        }
        let item = Partner {
            action: id.clone(),
            actor: ItemId(a),
            role: role.get_untracked().trim().to_owned(),
            contribution: contribution.get_untracked().trim().to_owned(),
            deleted: false,
        };
        ctx.live
            .edit(move |doc| record::put(doc, &ItemId::random(), &item).map(|_| ()));
        actor.set(String::new());
        role.set(String::new());
        contribution.set(String::new());
    };
    view! {
        <section class="detail-section" aria-labelledby="partners-title">
            <h3 id="partners-title">{t!(i18n, plan.partners)}</h3>
            {move || list.with(Vec::is_empty).then(|| view! { <p class="hint">{t!(i18n, plan.no_partners)}</p> })}
            <ul class="detail-list">
                {move || list.get().into_iter().map(|(pid, p)| {
                    let name = ctx.actor_name(&p.actor);
                    let label = t_string!(i18n, plan.remove_item, item = name.clone()).to_string();
                    let key = pid.to_string();
                    view! {
                        <li data-partner=key>
                            <strong dir="auto">{name}</strong>
                            {(!p.role.is_empty()).then(|| view! { " · " <span dir="auto">{p.role.clone()}</span> })}
                            {(!p.contribution.is_empty()).then(|| view! { " · " <span dir="auto">{p.contribution.clone()}</span> })}
                            {ctx.can_write().then(|| view! {
                                " "
                                <button type="button" class="small danger" aria-label=label on:click=move |_| {
                                    let id = pid.clone();
                                    ctx.live.edit(move |doc| doc::delete(doc, "partners", &id));
                                }>{t!(i18n, plan.remove)}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || (ctx.can_write() && ctx.diag.with(Option::is_some)).then(|| view! {
                <form class="form inline-form" data-partner-form="" on:submit=add.clone()>
                    <label>
                        {t!(i18n, plan.f_actor)}
                        <select name="actor" prop:value=move || actor.get() on:change=move |e| actor.set(event_target_value(&e))>
                            <option value="">{t!(i18n, plan.choose_actor)}</option>
                            {ctx.actors().into_iter().map(|(id, n)| view! { <option value=id.0>{n}</option> }).collect_view()}
                        </select>
                    </label>
                    <label>{t!(i18n, plan.f_role)}<input name="role" dir="auto" bind:value=role /></label>
                    <label>{t!(i18n, plan.f_contribution)}<input name="contribution" dir="auto" bind:value=contribution /></label>
                    <button type="submit" class="button small">{t!(i18n, plan.add_partner)}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn Links(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let list = Memo::new({
        let id = id.clone();
        move |_| {
            ctx.with_plan(|p| {
                p.links
                    .iter()
                    .filter(|(_, x)| !x.deleted && x.action == id)
                    .map(|(lid, x)| (lid.clone(), x.issue.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        }
    });
    let issue = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let i = issue.get_untracked();
        if i.is_empty() || list.with_untracked(|l| l.iter().any(|(_, x)| x.0 == i)) {
            return;
        }
        let item = IssueLink {
            action: id.clone(),
            issue: ItemId(i),
            deleted: false,
        };
        ctx.live
            .edit(move |doc| record::put(doc, &ItemId::random(), &item).map(|_| ()));
        issue.set(String::new());
    };
    view! {
        <section class="detail-section" aria-labelledby="links-title">
            <h3 id="links-title">{t!(i18n, plan.issues)}</h3>
            {move || list.with(Vec::is_empty).then(|| view! { <p class="hint">{t!(i18n, plan.no_issues)}</p> })}
            <ul class="detail-list">
                {move || list.get().into_iter().map(|(lid, issue)| {
                    let statement = ctx.issue_statement(&issue);
                    let label = t_string!(i18n, plan.remove_item, item = statement.clone()).to_string();
                    let key = lid.to_string();
                    view! {
                        <li data-link=key>
                            <span dir="auto">{statement}</span>
                            {ctx.can_write().then(|| view! {
                                " "
                                <button type="button" class="small danger" aria-label=label on:click=move |_| {
                                    let id = lid.clone();
                                    ctx.live.edit(move |doc| doc::delete(doc, "links", &id));
                                }>{t!(i18n, plan.remove)}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || (ctx.can_write() && ctx.diag.with(Option::is_some)).then(|| view! {
                <form class="row-form" data-link-form="" on:submit=add.clone()>
                    <label class="visually-hidden" for="link-issue">{t!(i18n, plan.add_issue)}</label>
                    <select id="link-issue" name="issue" prop:value=move || issue.get() on:change=move |e| issue.set(event_target_value(&e))>
                        <option value="">{t!(i18n, plan.choose_issue)}</option>
                        {ctx.issues().into_iter().map(|(id, s)| view! { <option value=id.0>{shorten(&s, 80)}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="small">{t!(i18n, plan.add_issue)}</button>
                </form>
            })}
        </section>
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

fn show(v: Option<f64>) -> String {
    v.map(|v| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v}")
        }
    })
    .unwrap_or_else(|| "—".into())
}

#[component]
fn Indicators(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let list = Memo::new({
        let id = id.clone();
        move |_| {
            ctx.with_plan(|p| {
                p.live_indicators()
                    .filter(|(_, x)| x.action.as_ref() == Some(&id))
                    .map(|(iid, _)| iid.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        }
    });
    view! {
        <section class="detail-section" aria-labelledby="indicators-title">
            <h3 id="indicators-title">{t!(i18n, plan.indicators)}</h3>
            {move || list.with(Vec::is_empty).then(|| view! { <p class="hint">{t!(i18n, plan.no_indicators)}</p> })}
            <ul class="indicator-list">
                <For each=move || list.get() key=|id| id.clone() children=move |id| view! { <IndicatorItem id=id /> } />
            </ul>
            {ctx.can_write().then(|| view! {
                <button type="button" class="button small secondary" data-add-indicator="" on:click=move |_| {
                    ctx.open.set(Some(Open::AddIndicator(id.clone())));
                    super::focus_later("[data-indicator-form] [name=name]".into());
                }>
                    <span aria-hidden="true">"+ "</span>{t!(i18n, plan.add_indicator)}
                </button>
            })}
        </section>
    }
}

#[component]
fn IndicatorItem(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let data = Memo::new({
        let id = id.clone();
        move |_| {
            ctx.with_plan(|p| {
                let ind = p.indicators.get(&id)?.clone();
                let mut targets: Vec<(ItemId, Target)> = p
                    .targets
                    .iter()
                    .filter(|(_, t)| !t.deleted && t.indicator == id)
                    .map(|(tid, t)| (tid.clone(), t.clone()))
                    .collect();
                targets.sort_by(|a, b| a.1.period.cmp(&b.1.period));
                Some((ind, targets, p.indicator_progress(&id)))
            })
            .flatten()
        }
    });
    let period = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let add_target = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let p = period.get_untracked().trim().to_owned();
            let Some(v) = value
                .get_untracked()
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
            else {
                return;
            };
            if p.is_empty() {
                return;
            }
            let item = Target {
                indicator: id.clone(),
                period: p,
                value: v,
                deleted: false,
            };
            ctx.live
                .edit(move |doc| record::put(doc, &ItemId::random(), &item).map(|_| ()));
            period.set(String::new());
            value.set(String::new());
        }
    };
    let controls = ctx.can_write().then(|| {
        let (e, d) = (id.clone(), id.clone());
        view! {
            <div class="row-actions">
                <button type="button" class="small" data-edit-indicator=e.to_string() on:click=move |_| ctx.open.set(Some(Open::EditIndicator(e.clone())))>{t!(i18n, plan.edit)}</button>
                <ConfirmDelete on_delete=move |_| {
                    let id = d.clone();
                    ctx.live.edit(move |doc| doc::delete(doc, "indicators", &id));
                } />
            </div>
        }
    });
    let iid = id.to_string();
    view! {
        <li class="indicator card" data-indicator=id.to_string()>
            <Editors path=format!("indicators/{id}") />
            {move || data.get().map(|(ind, targets, progress)| {
                let unit = ind.unit.clone();
                view! {
                    <h4 dir="auto">{ind.name.clone()} {(!unit.is_empty()).then(|| format!(" ({unit})"))}</h4>
                    {progress_bar(progress, t_string!(i18n, plan.progress_of, item = ind.name.clone()).to_string())}
                    <p class="action-meta">
                        <span>{t!(i18n, plan.f_baseline)} ": " {show(ind.baseline)} {(!ind.baseline_date.is_empty()).then(|| format!(" ({})", ind.baseline_date))}</span>
                        <span>{t!(i18n, plan.f_current)} ": " {show(ind.current)} {(!ind.current_date.is_empty()).then(|| format!(" ({})", ind.current_date))}</span>
                    </p>
                    {(!ind.verification.is_empty()).then(|| view! { <p class="hint">{t!(i18n, plan.f_verification)} ": " <span dir="auto">{ind.verification.clone()}</span></p> })}
                    <ul class="chips" aria-label=move || t_string!(i18n, plan.targets)>
                        {targets.into_iter().map(|(tid, t)| {
                            let text = format!("{} : {}", t.period, show(Some(t.value)));
                            let label = t_string!(i18n, plan.remove_item, item = text.clone()).to_string();
                            let key = tid.to_string();
                            view! {
                                <li class="chip" data-target=key>
                                    <span dir="auto">{t!(i18n, plan.target)} " " {text}</span>
                                    {ctx.can_write().then(|| view! {
                                        <button type="button" class="chip-remove" aria-label=label.clone() title=label on:click=move |_| {
                                            let id = tid.clone();
                                            ctx.live.edit(move |doc| doc::delete(doc, "targets", &id));
                                        }>"×"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
            {controls}
            {ctx.can_write().then(|| {
                let (p, v) = (format!("period-{iid}"), format!("value-{iid}"));
                let (p2, v2) = (p.clone(), v.clone());
                view! {
                    <form class="form inline-form" data-target-form="" on:submit=add_target>
                        <label for=p2>{t!(i18n, plan.f_period)}<input id=p name="period" placeholder="2026-S2" bind:value=period /></label>
                        <label for=v2>{t!(i18n, plan.f_value)}<input id=v name="value" type="number" step="any" bind:value=value /></label>
                        <button type="submit" class="button small secondary">{t!(i18n, plan.add_target)}</button>
                    </form>
                }
            })}
        </li>
    }
}
