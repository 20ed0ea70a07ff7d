//! The plan tab: orientations with their weighted progress and their actions, then the working
//! groups and their member actors.

use super::{ConfirmDelete, Ctx, Editors, Open, forms::FormHost, money, status_badge};
use crate::{
    i18n::*,
    model::{
        ItemId,
        action_plan::{GroupMember, doc},
        record,
    },
};
use leptos::prelude::*;

/// A progress bar (0–100) with its value written out.
pub(crate) fn progress_bar(value: Option<f64>, label: String) -> impl IntoView {
    let v = value.unwrap_or(0.0).clamp(0.0, 100.0);
    let text = value
        .map(|v| format!("{v:.0} %"))
        .unwrap_or_else(|| "—".into());
    view! {
        <span class="plan-progress">
            <span class="bar" role="progressbar" aria-label=label aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{v:.0}")>
                <span class="fill" style=format!("inline-size: {v:.1}%")></span>
            </span>
            <span class="value">{text}</span>
        </span>
    }
}

#[component]
pub(crate) fn PlanTree() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let orientations = Memo::new(move |_| {
        ctx.with_plan(|p| {
            p.live_orientations()
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    // Actions whose orientation is missing or deleted.
    let loose = Memo::new(move |_| {
        ctx.with_plan(|p| {
            p.live_actions()
                .filter(|(_, a)| {
                    a.orientation
                        .as_ref()
                        .and_then(|o| p.orientations.get(o))
                        .is_none_or(|o| o.deleted)
                })
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    view! {
        <FormHost />
        <div class="plan-tree">
            <div class="plan-toolbar">
                <h2 class="panel-title">{t!(i18n, plan.orientations)}</h2>
                {ctx.can_write().then(|| view! {
                    <div class="row-actions">
                        <button type="button" class="button small" data-add-orientation="" on:click=move |_| ctx.open.set(Some(Open::AddOrientation))>
                            <span aria-hidden="true">"+ "</span>{t!(i18n, plan.add_orientation)}
                        </button>
                        <button type="button" class="button small secondary" data-add-action="" on:click=move |_| ctx.open.set(Some(Open::AddAction(None)))>
                            <span aria-hidden="true">"+ "</span>{t!(i18n, plan.add_action)}
                        </button>
                    </div>
                })}
            </div>
            {move || orientations.with(Vec::is_empty).then(|| view! { <p class="hint">{t!(i18n, plan.no_orientations)}</p> })}
            <ul class="orientation-list">
                <For each=move || orientations.get() key=|id| id.clone() children=move |id| view! { <OrientationItem id=id /> } />
            </ul>
            {move || (!loose.with(Vec::is_empty)).then(|| view! {
                <section class="orientation card">
                    <h3>{t!(i18n, plan.no_orientation)}</h3>
                    <ul class="action-list">
                        <For each=move || loose.get() key=|id| id.clone() children=move |id| view! { <ActionRow id=id /> } />
                    </ul>
                </section>
            })}
        </div>
        <Groups />
    }
}

#[component]
fn OrientationItem(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let info = Memo::new({
        let id = id.clone();
        move |_| {
            ctx.with_plan(|p| {
                p.orientations.get(&id).map(|o| {
                    let group = o
                        .group
                        .as_ref()
                        .and_then(|g| p.groups.get(g))
                        .filter(|g| !g.deleted)
                        .map(|g| g.theme.clone());
                    (o.title.clone(), group, p.orientation_progress(&id))
                })
            })
            .flatten()
        }
    });
    let actions = Memo::new({
        let id = id.clone();
        move |_| {
            ctx.with_plan(|p| {
                p.actions_of(&id)
                    .map(|(a, _)| a.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        }
    });
    let controls = ctx.can_write().then(|| {
        let (e, a, d) = (id.clone(), id.clone(), id.clone());
        view! {
            <div class="row-actions">
                <button type="button" class="small" data-edit-orientation=e.to_string() on:click=move |_| ctx.open.set(Some(Open::EditOrientation(e.clone())))>{t!(i18n, plan.edit)}</button>
                <button type="button" class="small" data-add-action=a.to_string() on:click=move |_| ctx.open.set(Some(Open::AddAction(Some(a.clone()))))>
                    <span aria-hidden="true">"+ "</span>{t!(i18n, plan.add_action)}
                </button>
                <ConfirmDelete on_delete=move |_| {
                    let id = d.clone();
                    ctx.live.edit(move |doc| doc::delete(doc, "orientations", &id));
                } />
            </div>
        }
    });
    view! {
        <li class="orientation card" data-orientation=id.to_string()>
            <Editors path=format!("orientations/{id}") />
            {move || info.get().map(|(title, group, progress)| view! {
                <h3 dir="auto">{title.clone()}</h3>
                {group.map(|g| view! { <p class="hint">{t!(i18n, plan.carried_by)} " " <span dir="auto">{g}</span></p> })}
                {progress_bar(progress, t_string!(i18n, plan.progress_of, item = title).to_string())}
            })}
            {controls}
            <ul class="action-list">
                <For each=move || actions.get() key=|id| id.clone() children=move |id| view! { <ActionRow id=id /> } />
            </ul>
            {move || actions.with(Vec::is_empty).then(|| view! { <p class="hint">{t!(i18n, plan.no_actions)}</p> })}
        </li>
    }
}

/// One action in the tree: what a coordinator scans for.
#[component]
pub(crate) fn ActionRow(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let action = Memo::new({
        let id = id.clone();
        move |_| ctx.with_plan(|p| p.actions.get(&id).cloned()).flatten()
    });
    let today = ctx.today.get_value();
    let late = Memo::new(move |_| action.with(|a| a.as_ref().is_some_and(|a| a.is_late(&today))));
    let body = {
        let id = id.clone();
        move || {
            let a = action.get()?;
            let lead = a.lead.as_ref().map(|l| ctx.actor_name(l));
            let dates = match (a.start.is_empty(), a.due.is_empty()) {
                (true, true) => None,
                _ => Some(format!("{} → {}", a.start, a.due)),
            };
            let select = id.clone();
            let controls = ctx.can_write().then(|| {
                let (e, d) = (id.clone(), id.clone());
                view! {
                    <div class="row-actions">
                        <button type="button" class="small" data-edit-action=e.to_string() on:click=move |_| ctx.open.set(Some(Open::EditAction(e.clone())))>{t!(i18n, plan.edit)}</button>
                        <ConfirmDelete on_delete=move |_| {
                            let id = d.clone();
                            ctx.live.edit(move |doc| doc::delete(doc, "actions", &id));
                        } />
                    </div>
                }
            });
            Some(view! {
                <div class="action-head">
                    <button type="button" class="link-button action-title" dir="auto" on:click=move |_| ctx.select(select.clone())>
                        {a.title.clone()}
                    </button>
                    {status_badge(i18n, a.status)}
                    {late.get().then(|| view! { <span class="badge late-badge">{t!(i18n, plan.late)}</span> })}
                </div>
                <p class="action-meta">
                    <span>{format!("{:.0} %", a.effective_progress())}</span>
                    {dates.map(|d| view! { <span dir="ltr">{d}</span> })}
                    {lead.map(|l| view! { <span>{t!(i18n, plan.f_lead)} ": " <span dir="auto">{l}</span></span> })}
                    {(a.budget > 0.0).then(|| view! { <span>{money(i18n, a.budget)}</span> })}
                </p>
                {controls}
            })
        }
    };
    view! {
        <li class="action-row" data-action=id.to_string() data-late=move || late.get().then_some("")>
            <Editors path=format!("actions/{id}") />
            {body}
        </li>
    }
}

#[component]
fn Groups() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let groups = Memo::new(move |_| {
        ctx.with_plan(|p| {
            p.groups
                .iter()
                .filter(|(_, g)| !g.deleted)
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    view! {
        <section class="plan-groups" aria-labelledby="groups-title">
            <div class="plan-toolbar">
                <h2 id="groups-title" class="panel-title">{t!(i18n, plan.groups)}</h2>
                {ctx.can_write().then(|| view! {
                    <button type="button" class="button small secondary" data-add-group="" on:click=move |_| ctx.open.set(Some(Open::AddGroup))>
                        <span aria-hidden="true">"+ "</span>{t!(i18n, plan.add_group)}
                    </button>
                })}
            </div>
            {move || groups.with(Vec::is_empty).then(|| view! { <p class="hint">{t!(i18n, plan.no_groups)}</p> })}
            <ul class="group-list">
                <For each=move || groups.get() key=|id| id.clone() children=move |id| view! { <GroupItem id=id /> } />
            </ul>
        </section>
    }
}

#[component]
fn GroupItem(id: ItemId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let group = Memo::new({
        let id = id.clone();
        move |_| ctx.with_plan(|p| p.groups.get(&id).cloned()).flatten()
    });
    let members = Memo::new({
        let id = id.clone();
        move |_| {
            ctx.with_plan(|p| {
                p.members
                    .iter()
                    .filter(|(_, m)| !m.deleted && m.group == id)
                    .map(|(mid, m)| (mid.clone(), m.actor.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        }
    });
    let pick = RwSignal::new(String::new());
    let add_member = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let actor = pick.get_untracked();
            if actor.is_empty() {
                return;
            }
            let item = GroupMember {
                group: id.clone(),
                actor: ItemId(actor),
                deleted: false,
            };
            ctx.live
                .edit(move |doc| record::put(doc, &ItemId::random(), &item).map(|_| ()));
            pick.set(String::new());
        }
    };
    let controls = ctx.can_write().then(|| {
        let (e, d) = (id.clone(), id.clone());
        view! {
            <div class="row-actions">
                <button type="button" class="small" data-edit-group=e.to_string() on:click=move |_| ctx.open.set(Some(Open::EditGroup(e.clone())))>{t!(i18n, plan.edit)}</button>
                <ConfirmDelete on_delete=move |_| {
                    let id = d.clone();
                    ctx.live.edit(move |doc| doc::delete(doc, "groups", &id));
                } />
            </div>
        }
    });
    let gid = id.to_string();
    view! {
        <li class="group card" data-group=id.to_string()>
            <Editors path=format!("groups/{id}") />
            {move || group.get().map(|g| view! {
                <h3 dir="auto">{g.theme}</h3>
                {(!g.coach.is_empty()).then(|| view! { <p class="hint">{t!(i18n, plan.f_coach)} ": " <span dir="auto">{g.coach}</span></p> })}
            })}
            {controls}
            <ul class="chips" aria-label=move || t_string!(i18n, plan.members)>
                {move || members.get().into_iter().map(|(mid, actor)| {
                    let name = ctx.actor_name(&actor);
                    let label = t_string!(i18n, plan.remove_item, item = name.clone()).to_string();
                    view! {
                        <li class="chip">
                            <span dir="auto">{name}</span>
                            {ctx.can_write().then(|| view! {
                                <button type="button" class="chip-remove" aria-label=label.clone() title=label on:click=move |_| {
                                    let id = mid.clone();
                                    ctx.live.edit(move |doc| doc::delete(doc, "members", &id));
                                }>"×"</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || (ctx.can_write() && ctx.diag.with(Option::is_some)).then(|| {
                let sel = format!("member-{gid}");
                view! {
                    <form class="row-form" on:submit=add_member.clone()>
                        <label class="visually-hidden" for=sel.clone()>{t!(i18n, plan.add_member)}</label>
                        <select id=sel on:change=move |e| pick.set(event_target_value(&e)) prop:value=move || pick.get()>
                            <option value="">{t!(i18n, plan.choose_actor)}</option>
                            {ctx.actors().into_iter().map(|(id, n)| view! { <option value=id.0>{n}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="small">{t!(i18n, plan.add_member)}</button>
                    </form>
                }
            })}
        </li>
    }
}
