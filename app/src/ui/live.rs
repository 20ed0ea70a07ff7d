//! What every document page shows about its document's life: the sync status, who else is
//! here, what changed while you were away, and the concurrent edits to settle.

use crate::{
    i18n::*,
    local::{LiveDoc, SyncStatus},
    model::record::Conflict,
};
use leptos::prelude::*;

/// "Synced" / "Syncing: N pending" / "Offline since HH:MM" / "Read-only" / error; announced to
/// screen readers when it changes.
#[component]
pub fn SyncBadge(live: LiveDoc) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match live.status.get() {
        SyncStatus::Loading => t_string!(i18n, sync.loading).to_string(),
        SyncStatus::Synced => t_string!(i18n, sync.synced).to_string(),
        SyncStatus::Syncing { pending } => t_string!(i18n, sync.syncing, n = pending).to_string(),
        SyncStatus::Offline { since, pending } => {
            t_string!(i18n, sync.offline, time = since, n = pending).to_string()
        }
        SyncStatus::Refused => t_string!(i18n, sync.refused).to_string(),
        SyncStatus::Unavailable => t_string!(i18n, sync.unavailable).to_string(),
        SyncStatus::Error(message) => t_string!(i18n, sync.error, message = message).to_string(),
    };
    let class = move || {
        let state = match live.status.get() {
            SyncStatus::Loading => "loading",
            SyncStatus::Synced => "synced",
            SyncStatus::Syncing { .. } => "syncing",
            SyncStatus::Offline { .. } => "offline",
            SyncStatus::Refused => "refused",
            SyncStatus::Unavailable | SyncStatus::Error(_) => "error",
        };
        format!("sync-badge {state}")
    };
    let state = move || match live.status.get() {
        SyncStatus::Loading => "loading",
        SyncStatus::Synced => "synced",
        SyncStatus::Syncing { .. } => "syncing",
        SyncStatus::Offline { .. } => "offline",
        SyncStatus::Refused => "refused",
        SyncStatus::Unavailable => "unavailable",
        SyncStatus::Error(_) => "error",
    };
    view! {
        <p class=class role="status" aria-live="polite" data-sync=state>
            <span class="dot" aria-hidden="true"></span>
            <span>{text}</span>
        </p>
    }
}

/// Initials with a colour for everyone else on the document, and what they are editing.
#[component]
pub fn PresenceBar(
    live: LiveDoc,
    #[prop(into)] describe: Callback<String, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="presence" aria-live="polite">
            <span class="label">{t!(i18n, sync.here)}</span>
            {move || {
                let people = live.presence.get();
                if people.is_empty() {
                    return view! { <span class="alone">{t!(i18n, sync.alone)}</span> }.into_any();
                }
                people
                    .into_iter()
                    .map(|(_, p)| {
                        let title = match &p.editing {
                            Some(item) => {
                                t_string!(i18n, sync.editing, name = p.name.clone(), item = describe.run(item.clone()))
                                    .to_string()
                            }
                            None => p.name.clone(),
                        };
                        let style = format!("--hue: {}", p.hue());
                        view! {
                            <span class="avatar" style=style title=title.clone() aria-label=title.clone() data-name=p.name.clone()>
                                {p.initials()}
                            </span>
                            {p.editing.is_some().then(|| view! { <span class="editing-note">{title}</span> })}
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </div>
    }
}

/// After a resync: who changed what while this device was away.
#[component]
pub fn AwayBanner(
    live: LiveDoc,
    #[prop(into)] describe: Callback<String, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        live.away.get().map(|summary| {
            let items = summary
                .items
                .iter()
                .take(12)
                .map(|(c, id)| describe.run(format!("{c}/{id}")))
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <section class="away card" aria-labelledby="away-title">
                    <h2 id="away-title">{t!(i18n, sync.away_title)}</h2>
                    <ul>
                        {summary
                            .authors
                            .iter()
                            .map(|(name, n)| {
                                view! { <li>{t_string!(i18n, sync.away_changes, name = name.clone(), n = *n).to_string()}</li> }
                            })
                            .collect_view()}
                    </ul>
                    <p><span>{t!(i18n, sync.away_items)}</span> " " <span dir="auto">{items}</span></p>
                    <button type="button" class="button secondary" on:click=move |_| live.away.set(None)>
                        {t!(i18n, sync.dismiss)}
                    </button>
                </section>
            }
        })
    }
}

/// Concurrent edits of the same field: both values, who set each, and a button to keep one
/// (a normal change, so it syncs like any other).
#[component]
pub fn ConflictPanel(
    live: LiveDoc,
    #[prop(into)] conflicts: Signal<Vec<Conflict>>,
    #[prop(into)] describe: Callback<String, String>,
    /// Shows a value of a field (translating vocabulary values).
    #[prop(into)]
    show_value: Callback<(String, automerge::ScalarValue), String>,
    #[prop(into)] field_label: Callback<String, String>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let list = conflicts.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="conflicts card" aria-labelledby="conflicts-title">
                    <h2 id="conflicts-title">{t!(i18n, sync.conflicts_title)}</h2>
                    <p class="hint">{t!(i18n, sync.conflicts_help)}</p>
                    <ul>
                        {list
                            .into_iter()
                            .map(|c| {
                                let what = format!(
                                    "{} — {}",
                                    describe.run(format!("{}/{}", c.collection, c.item)),
                                    field_label.run(c.field.clone()),
                                );
                                let names: Vec<String> = c
                                    .values
                                    .iter()
                                    .map(|(_, actor)| {
                                        live.read(|doc| crate::model::record::author(doc, actor))
                                            .flatten()
                                            .unwrap_or_else(|| t_string!(i18n, sync.unknown_author).to_string())
                                    })
                                    .collect();
                                view! {
                                    <li class="conflict" data-field=c.field.clone()>
                                        <strong dir="auto">{what}</strong>
                                        <ul class="choices">
                                            {c
                                                .values
                                                .iter()
                                                .zip(names)
                                                .map(|((value, _), name)| {
                                                    let shown = show_value.run((c.field.clone(), value.clone()));
                                                    let (collection, item, field, value) = (
                                                        c.collection,
                                                        c.item.clone(),
                                                        c.field.clone(),
                                                        value.clone(),
                                                    );
                                                    view! {
                                                        <li>
                                                            <span class="value" dir="auto">{shown}</span>
                                                            " "
                                                            <span class="who">{t_string!(i18n, sync.set_by, name = name).to_string()}</span>
                                                            {live.can_write.then(|| view! {
                                                                <button
                                                                    type="button"
                                                                    class="button small"
                                                                    on:click=move |_| {
                                                                        let (item, field, value) = (item.clone(), field.clone(), value.clone());
                                                                        live.edit(move |doc| {
                                                                            crate::model::record::put_field(doc, collection, &item, &field, value)
                                                                        });
                                                                    }
                                                                >
                                                                    {t!(i18n, sync.keep)}
                                                                </button>
                                                            })}
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
