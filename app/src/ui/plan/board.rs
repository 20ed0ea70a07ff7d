//! The board tab: one column per status, a card per action, and a select on each card to move
//! it (the keyboard way; no drag and drop needed).

use super::{Ctx, Editors, action_status, money};
use crate::{
    i18n::*,
    model::{ItemId, action_plan::ActionStatus, record},
};
use leptos::prelude::*;

#[component]
pub(crate) fn StatusBoard() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2 class="panel-title">{t!(i18n, plan.board_title)}</h2>
        <div class="status-board">
            {ActionStatus::ALL.iter().map(|s| view! { <Column status=*s /> }).collect_view()}
        </div>
    }
}

#[component]
fn Column(status: ActionStatus) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let i18n = use_i18n();
    let ids = Memo::new(move |_| {
        ctx.with_plan(|p| {
            p.live_actions()
                .filter(|(_, a)| a.status == status)
                .map(|(id, _)| id.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    view! {
        <section class=format!("status-column status-{}", status.as_str()) data-status-column=status.as_str()>
            <h3>
                {move || action_status(i18n, status)}
                " "
                <span class="count">{move || ids.with(Vec::len)}</span>
            </h3>
            <ul class="status-cards">
                <For each=move || ids.get() key=|id| id.clone() children=move |id| view! { <Card id=id /> } />
            </ul>
        </section>
    }
}

#[component]
fn Card(id: ItemId) -> impl IntoView {
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
            let select = id.clone();
            let mover = ctx.can_write().then(|| {
                let id = id.clone();
                let sel = format!("move-{id}");
                let current = a.status;
                let key = id.to_string();
                view! {
                    <label class="move-label" for=sel.clone()>{t!(i18n, plan.move_to)}</label>
                    <select id=sel name="status" data-move=key on:change=move |e| {
                        if let Some(s) = ActionStatus::parse(&event_target_value(&e)) && s != current {
                            let id = id.clone();
                            let focus = format!("[data-move=\"{id}\"]");
                            ctx.live.edit(move |doc| record::put_field(doc, "actions", &id, "status", record::text(s.as_str())));
                            super::focus_later(focus);
                        }
                    }>
                        {ActionStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == current>{action_status(i18n, *s)}</option> }).collect_view()}
                    </select>
                }
            });
            Some(view! {
                <button type="button" class="link-button action-title" dir="auto" on:click=move |_| ctx.select(select.clone())>{a.title.clone()}</button>
                <p class="action-meta">
                    <span>{format!("{:.0} %", a.effective_progress())}</span>
                    {(!a.due.is_empty()).then(|| view! { <span dir="ltr">{a.due.clone()}</span> })}
                    {(a.budget > 0.0).then(|| view! { <span>{money(i18n, a.budget)}</span> })}
                    {late.get().then(|| view! { <span class="badge late-badge">{t!(i18n, plan.late)}</span> })}
                </p>
                {a.lead.as_ref().map(|l| view! { <p class="hint" dir="auto">{ctx.actor_name(l)}</p> })}
                {mover}
            })
        }
    };
    view! {
        <li class="status-card card" data-action=id.to_string() data-late=move || late.get().then_some("")>
            <Editors path=format!("actions/{id}") />
            {body}
        </li>
    }
}
