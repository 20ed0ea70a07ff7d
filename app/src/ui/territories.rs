//! "My territories" (each with the viewer's role) and one territory's page: its documents and,
//! for coaches and field teams, a form to create one.

use crate::{
    accounts::{
        AccountError, DocumentKind,
        api::{CreateDocument, my_territories, territory_overview},
    },
    i18n::*,
    ui::{labels, session::use_session},
};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_params_map};

/// Sends anonymous visitors to the login page, then back here.
#[component]
pub fn SignInFirst(next: String) -> impl IntoView {
    let path = format!("/login?next={next}");
    // On the server, answer 302 at once (the router's redirect only acts in the browser here).
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&path);
    view! { <Redirect path=path /> }
}

#[component]
pub fn MyTerritoriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let data = Resource::new_blocking(move || session.generation(), |_| my_territories());
    view! {
        <section class="page">
            <h1>{t!(i18n, territories.title)}</h1>
            <p>{t!(i18n, territories.intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || {
                    data.get()
                        .map(|result| match result {
                            Err(AccountError::NotSignedIn) => {
                                view! { <SignInFirst next="/territories".into() /> }.into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{labels::error(i18n, &e)}</p> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="notice">{t!(i18n, territories.empty)}</p> }.into_any(),
                            Ok(list) => {
                                view! {
                                    <ul class="territory-list">
                                        {list
                                            .into_iter()
                                            .map(|t| {
                                                let href = format!("/territories/{}", t.id);
                                                view! {
                                                    <li class="card territory-card">
                                                        <h2 dir="auto">
                                                            <a href=href>{t.name.clone()}</a>
                                                        </h2>
                                                        <p class="meta">
                                                            <span class="badge">{labels::level(i18n, t.level)}</span>
                                                            <span class=format!("badge role-{}", t.role.as_str())>{labels::role(i18n, t.role)}</span>
                                                            <span>{t_string!(i18n, territories.documents)} ": " {t.documents}</span>
                                                        </p>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
pub fn TerritoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i32>().ok());
    let create = ServerAction::<CreateDocument>::new();
    let data = Resource::new_blocking(
        move || (id(), session.generation(), create.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => territory_overview(id).await,
                None => Err(AccountError::NotFound),
            }
        },
    );
    view! {
        <section class="page">
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || {
                    data.get()
                        .map(|result| match result {
                            Err(AccountError::NotSignedIn) => {
                                let next = format!("/territories/{}", id().unwrap_or_default());
                                view! { <SignInFirst next=next /> }.into_any()
                            }
                            Err(e) => {
                                #[cfg(feature = "ssr")]
                                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                    response.set_status(
                                        http::StatusCode::from_u16(e.status())
                                            .unwrap_or(http::StatusCode::NOT_FOUND),
                                    );
                                }
                                view! {
                                <h1>{t!(i18n, not_found.title)}</h1>
                                <p class="error" role="alert">{labels::error(i18n, &e)}</p>
                            }.into_any()
                            }
                            Ok(page) => {
                                let role = page.role;
                                let territory = page.territory.id;
                                view! {
                                    <h1 dir="auto">{page.territory.name.clone()}</h1>
                                    <p class="meta">
                                        <span class="badge">{labels::level(i18n, page.territory.level)}</span>
                                        <span class=format!("badge role-{}", role.as_str())>
                                            {t_string!(i18n, territory.your_role, role = labels::role(i18n, role)).to_string()}
                                        </span>
                                        {(!role.can_write()).then(|| view! { <span class="badge read-only">{t!(i18n, common.read_only)}</span> })}
                                    </p>
                                    {(!role.can_write()).then(|| view! { <p class="notice">{t!(i18n, territory.manager_note)}</p> })}
                                    <h2>{t!(i18n, territory.documents)}</h2>
                                    <DocumentTable documents=page.documents />
                                    {role.can_write().then(|| view! { <NewDocumentForm territory=territory action=create /> })}
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn DocumentTable(documents: Vec<crate::accounts::DocumentSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if documents.is_empty() {
        return view! { <p>{t!(i18n, territory.no_documents)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, territory.title_field)}</th>
                        <th scope="col">{t!(i18n, territory.kind_field)}</th>
                        <th scope="col">{t!(i18n, common.created)}</th>
                        <th scope="col">{t!(i18n, territory.url)}</th>
                    </tr>
                </thead>
                <tbody>
                    {documents
                        .into_iter()
                        .map(|d| {
                            view! {
                                <tr>
                                    <td dir="auto"><a href=format!("/documents/{}", d.id)>{d.title}</a></td>
                                    <td>{labels::kind(i18n, d.kind)}</td>
                                    <td><time datetime=d.created_at.clone()>{d.created_at.get(..10).unwrap_or_default().to_owned()}</time></td>
                                    <td><code dir="ltr">{d.url}</code></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn NewDocumentForm(territory: i32, action: ServerAction<CreateDocument>) -> impl IntoView {
    let i18n = use_i18n();
    let form = NodeRef::new();
    labels::reset_on_success(action, form);
    view! {
        <h2>{t!(i18n, territory.new_document)}</h2>
        <ActionForm action=action node_ref=form attr:class="form card inline-form">
            <input type="hidden" name="territory" value=territory />
            <label>
                <span>{t!(i18n, territory.kind_field)}</span>
                <select name="kind">
                    {DocumentKind::ALL
                        .into_iter()
                        .map(|k| view! { <option value=k.as_str()>{labels::kind(i18n, k)}</option> })
                        .collect_view()}
                </select>
            </label>
            <label class="grow">
                <span>{t!(i18n, territory.title_field)}</span>
                <input type="text" name="title" required maxlength="200" dir="auto" />
            </label>
            <button type="submit" class="button">{t!(i18n, territory.create)}</button>
        </ActionForm>
        <labels::ActionStatus action=action />
    }
}
