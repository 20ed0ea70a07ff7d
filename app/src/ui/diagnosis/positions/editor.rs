//! The form that records, changes or deletes one actor's stance on one issue.

use super::{STANCES, stance_class, stance_label, stance_text};
use crate::ui::document::focus_first_of;
use crate::{
    i18n::*,
    model::{
        ItemId,
        diagnosis::{Position, doc},
        record,
    },
};
use leptos::prelude::*;

/// The open editor: which position, for whom, and the values it was opened with.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Editing {
    pub position: ItemId,
    pub actor: ItemId,
    pub issue: ItemId,
    pub actor_name: String,
    pub issue_statement: String,
    /// The position as it was when the form opened; `None` for a new one.
    pub original: Option<Position>,
}

/// The editor's fields.
#[derive(Clone, Copy)]
pub(super) struct Form {
    stance: RwSignal<Option<i8>>,
    rationale: RwSignal<String>,
    date: RwSignal<String>,
    source: RwSignal<String>,
    missing_stance: RwSignal<bool>,
}

impl Form {
    pub fn new() -> Self {
        Form {
            stance: RwSignal::new(None),
            rationale: RwSignal::new(String::new()),
            date: RwSignal::new(String::new()),
            source: RwSignal::new(String::new()),
            missing_stance: RwSignal::new(false),
        }
    }

    /// Fills the fields from a position, or for a new one (today's date, no stance yet).
    pub fn fill(&self, position: Option<&Position>) {
        self.stance.set(position.map(|p| p.stance.clamp(-2, 2)));
        self.rationale
            .set(position.map(|p| p.rationale.clone()).unwrap_or_default());
        self.date
            .set(position.map_or_else(today, |p| p.date.clone()));
        self.source
            .set(position.map(|p| p.source.clone()).unwrap_or_default());
        self.missing_stance.set(false);
    }
}

#[cfg(feature = "hydrate")]
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

#[cfg(not(feature = "hydrate"))]
fn today() -> String {
    String::new()
}

#[component]
pub(super) fn PositionEditor(editing: Editing, form: Form, close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let ctx = expect_context::<crate::ui::diagnosis::Ctx>();
    let live = ctx.live;
    let path = format!("positions/{}", editing.position);
    let others = move || {
        let people = live.editors_of(&path);
        let first = people.first()?.clone();
        let names: Vec<String> = people.into_iter().map(|p| p.name).collect();
        let text = t_string!(i18n, positions.also_editing, names = names.join(", ")).to_string();
        Some(view! {
            <p class="also-editing" role="status" style=format!("--hue: {}", first.hue())>
                <span class="avatar small" aria-hidden="true">{first.initials()}</span>
                <span>{text}</span>
            </p>
        })
    };
    let title = if editing.original.is_some() {
        t_string!(
            i18n,
            positions.edit_title,
            actor = editing.actor_name.clone()
        )
        .to_string()
    } else {
        t_string!(
            i18n,
            positions.new_title,
            actor = editing.actor_name.clone()
        )
        .to_string()
    };
    let exists = editing.original.is_some();
    let for_delete = editing.position.clone();
    let save = {
        let e = editing.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(stance) = form.stance.get_untracked() else {
                form.missing_stance.set(true);
                focus_first_of(vec!["#position-editor input[name=stance]".to_owned()]);
                return;
            };
            let typed = Position {
                actor: e.actor.clone(),
                issue: e.issue.clone(),
                stance,
                rationale: form.rationale.get_untracked().trim().to_owned(),
                date: form.date.get_untracked().trim().to_owned(),
                source: form.source.get_untracked().trim().to_owned(),
                deleted: false,
            };
            // Only what this form changed is written over the current item, so a field edited
            // meanwhile by someone else keeps their value.
            let item = match &e.original {
                None => typed,
                Some(original) => {
                    let mut item = ctx
                        .data
                        .with_untracked(|d| d.as_ref()?.positions.get(&e.position).cloned())
                        .unwrap_or_else(|| original.clone());
                    if typed.stance != original.stance {
                        item.stance = typed.stance;
                    }
                    if typed.rationale != original.rationale {
                        item.rationale = typed.rationale;
                    }
                    if typed.date != original.date {
                        item.date = typed.date;
                    }
                    if typed.source != original.source {
                        item.source = typed.source;
                    }
                    item
                }
            };
            let id = e.position.clone();
            live.edit(move |d| record::put(d, &id, &item).map(|_| ()));
            close.run(());
        }
    };
    let delete = move |_| {
        let id = for_delete.clone();
        live.edit(move |d| doc::delete(d, "positions", &id));
        close.run(());
    };
    let options = STANCES
        .into_iter()
        .map(|s| {
            view! {
                <label class=format!("stance-option {}", stance_class(s))>
                    <input
                        type="radio"
                        name="stance"
                        value=s.to_string()
                        prop:checked=move || form.stance.get() == Some(s)
                        on:change=move |_| {
                            form.stance.set(Some(s));
                            form.missing_stance.set(false);
                        }
                    />
                    <span class="stance-num" dir="ltr">{stance_text(s)}</span>
                    <span class="stance-word">{move || stance_label(i18n, s)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section
            class="card position-editor"
            id="position-editor"
            role="dialog"
            aria-labelledby="position-editor-title"
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    close.run(());
                }
            }
        >
            <h3 id="position-editor-title" dir="auto">{title}</h3>
            <p class="editor-issue">
                <span class="label">{t!(i18n, positions.issue)} ": "</span>
                <span dir="auto">{editing.issue_statement.clone()}</span>
            </p>
            {others}
            <form class="form" on:submit=save>
                <fieldset class="stance-picker">
                    <legend>{t!(i18n, positions.stance)}</legend>
                    <div class="stance-options">{options}</div>
                    {move || {
                        form.missing_stance.get().then(|| {
                            view! { <p class="error" role="alert">{t!(i18n, positions.choose_stance)}</p> }
                        })
                    }}
                </fieldset>
                <label>
                    <span>{t!(i18n, positions.rationale)}</span>
                    <textarea
                        name="rationale"
                        rows="3"
                        dir="auto"
                        prop:value=move || form.rationale.get()
                        on:input=move |ev| form.rationale.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <div class="editor-row">
                    <label>
                        <span>{t!(i18n, positions.date)}</span>
                        <input
                            type="date"
                            name="date"
                            prop:value=move || form.date.get()
                            on:input=move |ev| form.date.set(event_target_value(&ev))
                        />
                    </label>
                    <label class="grow">
                        <span>{t!(i18n, positions.source)}</span>
                        <input
                            type="text"
                            name="source"
                            dir="auto"
                            maxlength="200"
                            prop:value=move || form.source.get()
                            on:input=move |ev| form.source.set(event_target_value(&ev))
                        />
                    </label>
                </div>
                <div class="editor-actions">
                    <button type="submit" class="button">{t!(i18n, positions.save)}</button>
                    <button type="button" class="button secondary" on:click=move |_| close.run(())>
                        {t!(i18n, positions.cancel)}
                    </button>
                    {exists
                        .then(|| {
                            view! {
                                <button type="button" class="button danger delete-position" on:click=delete.clone()>
                                    {t!(i18n, positions.delete)}
                                </button>
                            }
                        })}
                </div>
            </form>
        </section>
    }
}
