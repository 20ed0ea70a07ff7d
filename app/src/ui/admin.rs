//! The admin area: territories, accounts, members and their roles, API tokens. Every form is a
//! server function; the server checks the admin flag on each one.

use crate::{
    accounts::{
        AccountError, AdminOverview, Role, TerritoryLevel,
        api::{
            AdminAddMember, AdminCreateTerritory, AdminCreateUser, AdminRemoveMember,
            AdminRevokeToken, AdminSetRole, admin_dashboard,
        },
    },
    i18n::*,
    ui::{labels, labels::ActionStatus, session::use_session, territories::SignInFirst},
};
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct AdminActions {
    territory: ServerAction<AdminCreateTerritory>,
    user: ServerAction<AdminCreateUser>,
    member: ServerAction<AdminAddMember>,
    set_role: ServerAction<AdminSetRole>,
    remove: ServerAction<AdminRemoveMember>,
    revoke: ServerAction<AdminRevokeToken>,
}

impl AdminActions {
    fn generation(&self) -> usize {
        self.territory.version().get()
            + self.user.version().get()
            + self.member.version().get()
            + self.set_role.version().get()
            + self.remove.version().get()
            + self.revoke.version().get()
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let actions = AdminActions {
        territory: ServerAction::new(),
        user: ServerAction::new(),
        member: ServerAction::new(),
        set_role: ServerAction::new(),
        remove: ServerAction::new(),
        revoke: ServerAction::new(),
    };
    let data = Resource::new_blocking(
        move || (session.generation(), actions.generation()),
        |_| admin_dashboard(),
    );
    view! {
        <section class="page admin">
            <h1>{t!(i18n, admin.title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>
                {move || {
                    data.get()
                        .map(|result| match result {
                            Err(AccountError::NotSignedIn) => view! { <SignInFirst next="/admin".into() /> }.into_any(),
                            Err(AccountError::Forbidden) => {
                                #[cfg(feature = "ssr")]
                                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                                    response.set_status(http::StatusCode::FORBIDDEN);
                                }
                                view! {
                                    <h2>{t!(i18n, forbidden_page.title)}</h2>
                                    <p class="error" role="alert">{t!(i18n, forbidden_page.text)}</p>
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{labels::error(i18n, &e)}</p> }.into_any(),
                            Ok(overview) => view! { <Overview overview actions /> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Overview(overview: AdminOverview, actions: AdminActions) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>{t!(i18n, admin.intro)}</p>
        <TerritoriesSection overview=overview.clone() actions />
        <UsersSection overview=overview.clone() actions />
        <MembersSection overview=overview.clone() actions />
        <TokensSection overview actions />
    }
}

fn territory_options(overview: &AdminOverview) -> impl IntoView + use<> {
    overview
        .territories
        .iter()
        .map(|t| view! { <option value=t.id>{t.name.clone()}</option> })
        .collect_view()
}

#[component]
fn TerritoriesSection(overview: AdminOverview, actions: AdminActions) -> impl IntoView {
    let i18n = use_i18n();
    let territory_form = NodeRef::new();
    labels::reset_on_success(actions.territory, territory_form);
    view! {
        <h2 id="territories">{t!(i18n, admin.territories)}</h2>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">{t!(i18n, common.name)}</th>
                        <th scope="col">{t!(i18n, common.level)}</th>
                        <th scope="col">{t!(i18n, admin.parent)}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .territories
                        .iter()
                        .map(|t| {
                            let parent = t
                                .parent_id
                                .and_then(|p| overview.territories.iter().find(|o| o.id == p))
                                .map(|p| p.name.clone())
                                .unwrap_or_else(|| "—".to_owned());
                            view! {
                                <tr>
                                    <td>{t.id}</td>
                                    <td dir="auto"><a href=format!("/territories/{}", t.id)>{t.name.clone()}</a></td>
                                    <td>{labels::level(i18n, t.level)}</td>
                                    <td dir="auto">{parent}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h3>{t!(i18n, admin.new_territory)}</h3>
        <ActionForm action=actions.territory node_ref=territory_form attr:class="form card inline-form">
            <label class="grow">
                <span>{t!(i18n, common.name)}</span>
                <input type="text" name="name" required maxlength="200" dir="auto" />
            </label>
            <label>
                <span>{t!(i18n, common.level)}</span>
                <select name="level">
                    {TerritoryLevel::ALL
                        .into_iter()
                        .map(|l| view! { <option value=l.as_str()>{labels::level(i18n, l)}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, admin.parent)}</span>
                <select name="parent">
                    <option value="">{t!(i18n, admin.no_parent)}</option>
                    {territory_options(&overview)}
                </select>
            </label>
            <button type="submit" class="button">{t!(i18n, admin.create)}</button>
        </ActionForm>
        <ActionStatus action=actions.territory />

    }
    .into_any()
}

#[component]
fn UsersSection(overview: AdminOverview, actions: AdminActions) -> impl IntoView {
    let i18n = use_i18n();
    let user_form = NodeRef::new();
    labels::reset_on_success(actions.user, user_form);
    view! {
        <h2 id="users">{t!(i18n, admin.users)}</h2>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, common.email)}</th>
                        <th scope="col">{t!(i18n, admin.display_name)}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .users
                        .iter()
                        .map(|u| {
                            view! {
                                <tr>
                                    <td dir="ltr">{u.email.clone()}</td>
                                    <td dir="auto">
                                        {u.display_name.clone()}
                                        {u.is_admin.then(|| view! { " " <span class="badge">{t!(i18n, admin.admin_badge)}</span> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h3>{t!(i18n, admin.new_user)}</h3>
        <ActionForm action=actions.user node_ref=user_form attr:class="form card inline-form">
            <label class="grow">
                <span>{t!(i18n, common.email)}</span>
                <input type="email" name="email" required dir="ltr" autocomplete="off" />
            </label>
            <label class="grow">
                <span>{t!(i18n, admin.display_name)}</span>
                <input type="text" name="display_name" dir="auto" />
            </label>
            <label class="grow">
                <span>{t!(i18n, admin.password)}</span>
                <input type="password" name="password" required minlength="10" autocomplete="new-password" dir="ltr" />
            </label>
            <label class="check">
                <input type="checkbox" name="is_admin" />
                <span>{t!(i18n, admin.is_admin)}</span>
            </label>
            <button type="submit" class="button">{t!(i18n, admin.create)}</button>
        </ActionForm>
        <ActionStatus action=actions.user />

    }
    .into_any()
}

#[component]
fn MembersSection(overview: AdminOverview, actions: AdminActions) -> impl IntoView {
    let i18n = use_i18n();
    let member_form = NodeRef::new();
    labels::reset_on_success(actions.member, member_form);
    let role_options = move || {
        Role::ALL
            .into_iter()
            .map(|r| view! { <option value=r.as_str()>{labels::role(i18n, r)}</option> })
            .collect_view()
    };
    view! {
        <h2 id="members">{t!(i18n, admin.members)}</h2>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, admin.territory)}</th>
                        <th scope="col">{t!(i18n, common.email)}</th>
                        <th scope="col">{t!(i18n, common.role)}</th>
                        <th scope="col">{t!(i18n, common.actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview
                        .members
                        .clone()
                        .into_iter()
                        .map(|m| {
                            let current = m.role;
                            view! {
                                <tr>
                                    <td dir="auto">{m.territory_name.clone()}</td>
                                    <td dir="ltr">{m.email.clone()}</td>
                                    <td>
                                        <ActionForm action=actions.set_role attr:class="row-form">
                                            <input type="hidden" name="territory" value=m.territory_id />
                                            <input type="hidden" name="user" value=m.user_id />
                                            <select name="role" aria-label=move || t_string!(i18n, common.role)>
                                                {Role::ALL
                                                    .into_iter()
                                                    .map(|r| view! { <option value=r.as_str() selected=r == current>{labels::role(i18n, r)}</option> })
                                                    .collect_view()}
                                            </select>
                                            <button type="submit">{t!(i18n, admin.change_role)}</button>
                                        </ActionForm>
                                    </td>
                                    <td>
                                        <ActionForm action=actions.remove attr:class="row-form">
                                            <input type="hidden" name="territory" value=m.territory_id />
                                            <input type="hidden" name="user" value=m.user_id />
                                            <button type="submit" class="danger">{t!(i18n, admin.remove)}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <ActionStatus action=actions.set_role />
        <ActionStatus action=actions.remove />
        <h3>{t!(i18n, admin.add_member)}</h3>
        <ActionForm action=actions.member node_ref=member_form attr:class="form card inline-form">
            <label>
                <span>{t!(i18n, admin.territory)}</span>
                <select name="territory" required>{territory_options(&overview)}</select>
            </label>
            <label class="grow">
                <span>{t!(i18n, common.email)}</span>
                <input type="email" name="email" required dir="ltr" list="known-users" />
                <datalist id="known-users">
                    {overview.users.iter().map(|u| view! { <option value=u.email.clone()></option> }).collect_view()}
                </datalist>
            </label>
            <label>
                <span>{t!(i18n, common.role)}</span>
                <select name="role">{role_options}</select>
            </label>
            <button type="submit" class="button">{t!(i18n, admin.add)}</button>
        </ActionForm>
        <ActionStatus action=actions.member />

    }
    .into_any()
}

#[component]
fn TokensSection(overview: AdminOverview, actions: AdminActions) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2 id="tokens">{t!(i18n, admin.tokens)}</h2>
        {if overview.tokens.is_empty() {
            view! { <p>{t!(i18n, admin.no_tokens)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">{t!(i18n, admin.token_user)}</th>
                                <th scope="col">{t!(i18n, admin.token_name)}</th>
                                <th scope="col">{t!(i18n, admin.last_used)}</th>
                                <th scope="col">{t!(i18n, common.status)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {overview
                                .tokens
                                .clone()
                                .into_iter()
                                .map(|t| {
                                    let id = t.id;
                                    let revoked = t.revoked_at.clone();
                                    view! {
                                        <tr>
                                            <td>{t.id}</td>
                                            <td dir="ltr">{t.user_email.clone()}</td>
                                            <td dir="auto">{t.name.clone()}</td>
                                            <td>{t.last_used_at.clone().unwrap_or_else(|| t_string!(i18n, admin.never).to_owned())}</td>
                                            <td>
                                                {match revoked {
                                                    Some(at) => view! { <span class="badge">{t_string!(i18n, admin.revoked, at = at.clone()).to_string()}</span> }.into_any(),
                                                    None => view! {
                                                        <ActionForm action=actions.revoke attr:class="row-form">
                                                            <input type="hidden" name="id" value=id />
                                                            <span class="badge ok">{t!(i18n, admin.active)}</span>
                                                            <button type="submit" class="danger">{t!(i18n, admin.revoke)}</button>
                                                        </ActionForm>
                                                    }.into_any(),
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
                .into_any()
        }}
        <ActionStatus action=actions.revoke />
    }
    .into_any()
}
