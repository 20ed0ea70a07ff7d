//! Accounts, end to end through the real server: the authorization matrix (every role, an
//! outsider, an admin and an anonymous caller × every route, server function and API call),
//! login and its rate limit, CSRF refusal, tokens, and bad input that must change nothing.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

use app::accounts::{Role, TerritoryLevel};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use terrain_tests::{Db, Options, TestServer, databases};

const PASSWORD: &str = "a long enough password";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Outsider,
    Admin,
    Coach,
    Field,
    Manager,
}

const EVERYONE: [Who; 6] = [
    Who::Anonymous,
    Who::Outsider,
    Who::Admin,
    Who::Coach,
    Who::Field,
    Who::Manager,
];

impl Who {
    fn email(self) -> &'static str {
        match self {
            Who::Anonymous => "",
            Who::Outsider => "outsider@test.ma",
            Who::Admin => "admin@test.ma",
            Who::Coach => "coach@test.ma",
            Who::Field => "field@test.ma",
            Who::Manager => "manager@test.ma",
        }
    }
}

/// One actor: a cookie-keeping client signed in through the login form, and an API token.
struct Actor {
    who: Who,
    client: Client,
    token: Option<String>,
}

struct World {
    server: TestServer,
    territory: i32,
    other_territory: i32,
    actors: Vec<Actor>,
}

fn browser_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn login(server: &TestServer, client: &Client, email: &str, password: &str) -> Response {
    client
        .post(server.url("/fn/login"))
        .form(&[
            ("email", email),
            ("password", password),
            ("next", "/territories"),
        ])
        .send()
        .await
        .unwrap()
}

async fn world(db: &Db, options: Options) -> World {
    let server = TestServer::start_with(db, options).await;
    let accounts = &server.state.accounts;
    let territory = accounts
        .create_territory_as_admin("Commune de Bni Drar", TerritoryLevel::Commune, None, None)
        .await
        .unwrap();
    let other_territory = accounts
        .create_territory_as_admin(
            "Commune de Sidi Boulenouar",
            TerritoryLevel::Commune,
            None,
            None,
        )
        .await
        .unwrap();
    let mut actors = Vec::new();
    for who in EVERYONE {
        let client = browser_client();
        if who == Who::Anonymous {
            actors.push(Actor {
                who,
                client,
                token: None,
            });
            continue;
        }
        accounts
            .create_user_as_admin(who.email(), "", PASSWORD, who == Who::Admin, None)
            .await
            .unwrap();
        let role = match who {
            Who::Coach => Some((territory, Role::Coach)),
            Who::Field => Some((territory, Role::Field)),
            Who::Manager => Some((territory, Role::Manager)),
            Who::Outsider => Some((other_territory, Role::Coach)),
            _ => None,
        };
        if let Some((t, role)) = role {
            accounts
                .put_member_as_admin(t, who.email(), role, None, None)
                .await
                .unwrap();
        }
        let res = login(&server, &client, who.email(), PASSWORD).await;
        assert_eq!(res.status(), 200, "{who:?} signs in");
        let (_, token) = accounts.create_token(who.email(), "test").await.unwrap();
        actors.push(Actor {
            who,
            client,
            token: Some(token),
        });
    }
    World {
        server,
        territory,
        other_territory,
        actors,
    }
}

/// A page, asked for as a browser navigation does.
async fn get(w: &World, a: &Actor, path: &str) -> StatusCode {
    a.client
        .get(w.server.url(path))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap()
        .status()
}

/// A server function's form fields.
type Form = Vec<(&'static str, String)>;
/// The status each actor must get.
type Expected = Vec<(Who, u16)>;

/// A server function called the way a page's form calls it (same-origin, form-encoded).
async fn call(w: &World, a: &Actor, name: &str, form: &[(&str, String)]) -> (StatusCode, String) {
    let res = a
        .client
        .post(w.server.url(&format!("/fn/{name}")))
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

fn bearer(req: reqwest::RequestBuilder, a: &Actor) -> reqwest::RequestBuilder {
    match &a.token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
}

fn expect(who: Who, table: &[(Who, u16)]) -> u16 {
    table
        .iter()
        .find(|(w, _)| *w == who)
        .map(|(_, s)| *s)
        .unwrap_or_else(|| panic!("no expectation for {who:?}"))
}

fn row(
    anonymous: u16,
    outsider: u16,
    admin: u16,
    coach: u16,
    field: u16,
    manager: u16,
) -> Vec<(Who, u16)> {
    vec![
        (Who::Anonymous, anonymous),
        (Who::Outsider, outsider),
        (Who::Admin, admin),
        (Who::Coach, coach),
        (Who::Field, field),
        (Who::Manager, manager),
    ]
}

#[tokio::test]
async fn authorization_matrix() {
    for db in databases() {
        let w = world(&db, Options::default()).await;
        let t = w.territory;
        let other = w.other_territory;
        let accounts = &w.server.state.accounts;
        accounts
            .create_user_as_admin("spare@test.ma", "", PASSWORD, false, None)
            .await
            .unwrap();
        let (spare_token, _) = accounts
            .create_token("spare@test.ma", "spare")
            .await
            .unwrap();
        let field_id = accounts
            .users()
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == "field@test.ma")
            .unwrap()
            .id;
        let spare_id = accounts
            .users()
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == "spare@test.ma")
            .unwrap()
            .id;

        let mut wrong = Vec::new();
        let mut check = |what: &str, who: Who, got: u16, want: u16| {
            if got != want {
                wrong.push(format!("{what} as {who:?}: got {got}, expected {want}"));
            }
        };

        // Pages, as a browser asks for them.
        let pages: Vec<(String, Vec<(Who, u16)>)> = vec![
            ("/".into(), row(200, 200, 200, 200, 200, 200)),
            ("/login".into(), row(200, 200, 200, 200, 200, 200)),
            ("/territories".into(), row(302, 200, 200, 200, 200, 200)),
            (
                format!("/territories/{t}"),
                row(302, 404, 403, 200, 200, 200),
            ),
            (
                format!("/territories/{other}"),
                row(302, 200, 403, 404, 404, 404),
            ),
            (
                "/territories/999999".into(),
                row(302, 404, 403, 404, 404, 404),
            ),
            ("/admin".into(), row(302, 403, 200, 403, 403, 403)),
        ];
        for (path, table) in &pages {
            for a in &w.actors {
                check(
                    &format!("GET {path}"),
                    a.who,
                    get(&w, a, path).await.as_u16(),
                    expect(a.who, table),
                );
            }
        }

        // Server functions, in an order where only the admin's calls change anything.
        let fns: Vec<(&str, Form, Expected)> = vec![
            ("whoami", vec![], row(200, 200, 200, 200, 200, 200)),
            ("my_territories", vec![], row(401, 200, 200, 200, 200, 200)),
            (
                "territory_overview",
                vec![("id", t.to_string())],
                row(401, 404, 403, 200, 200, 200),
            ),
            (
                "create_document",
                vec![
                    ("territory", t.to_string()),
                    ("kind", "meeting".into()),
                    ("title", "Rencontre de Tizi".into()),
                ],
                row(401, 404, 403, 200, 200, 403),
            ),
            ("admin_overview", vec![], row(401, 403, 200, 403, 403, 403)),
            (
                "admin_create_territory",
                vec![
                    ("name", "Commune d'Ain Sfa".into()),
                    ("level", "commune".into()),
                ],
                row(401, 403, 200, 403, 403, 403),
            ),
            (
                "admin_create_user",
                vec![
                    ("email", "new@test.ma".into()),
                    ("display_name", "New".into()),
                    ("password", PASSWORD.into()),
                ],
                row(401, 403, 200, 403, 403, 403),
            ),
            (
                "admin_add_member",
                vec![
                    ("territory", other.to_string()),
                    ("email", "spare@test.ma".into()),
                    ("role", "field".into()),
                ],
                row(401, 403, 200, 403, 403, 403),
            ),
            (
                "admin_set_role",
                vec![
                    ("territory", t.to_string()),
                    ("user", field_id.to_string()),
                    ("role", "field".into()),
                ],
                row(401, 403, 200, 403, 403, 403),
            ),
            (
                "admin_remove_member",
                vec![
                    ("territory", other.to_string()),
                    ("user", spare_id.to_string()),
                ],
                row(401, 403, 200, 403, 403, 403),
            ),
            (
                "admin_revoke_token",
                vec![("id", spare_token.to_string())],
                row(401, 403, 200, 403, 403, 403),
            ),
        ];
        for (name, form, table) in &fns {
            for a in &w.actors {
                let (status, body) = call(&w, a, name, form).await;
                check(
                    &format!("fn {name}"),
                    a.who,
                    status.as_u16(),
                    expect(a.who, table),
                );
                if status == 403 && a.who != Who::Anonymous {
                    assert_eq!(body, "\"Forbidden\"", "{name} {:?}", a.who);
                }
            }
        }

        // The HTTP API with bearer tokens.
        for a in &w.actors {
            let res = bearer(w.server.client().post(w.server.url("/api/documents")), a)
                .json(&json!({"territory": t, "kind": "diagnosis", "title": "Diagnostic partagé"}))
                .send()
                .await
                .unwrap();
            check(
                "POST /api/documents",
                a.who,
                res.status().as_u16(),
                expect(a.who, &row(401, 404, 403, 201, 201, 403)),
            );
            for (territory, table) in [
                (t, row(401, 404, 403, 200, 200, 200)),
                (other, row(401, 200, 403, 404, 404, 404)),
            ] {
                let res = bearer(
                    w.server.client().get(
                        w.server
                            .url(&format!("/api/documents?territory={territory}")),
                    ),
                    a,
                )
                .send()
                .await
                .unwrap();
                check(
                    &format!("GET /api/documents?territory={territory}"),
                    a.who,
                    res.status().as_u16(),
                    expect(a.who, &table),
                );
            }
        }
        // A member's session cookie works for the API too, within the same rules.
        for a in w
            .actors
            .iter()
            .filter(|a| matches!(a.who, Who::Manager | Who::Coach))
        {
            let res = a
                .client
                .post(w.server.url("/api/documents"))
                .json(&json!({"territory": t, "kind": "action_plan", "title": "Plan d'action"}))
                .send()
                .await
                .unwrap();
            let want = if a.who == Who::Coach { 201 } else { 403 };
            check(
                "POST /api/documents (cookie)",
                a.who,
                res.status().as_u16(),
                want,
            );
        }
        assert!(
            wrong.is_empty(),
            "{:?}: {} cells wrong:\n{}",
            db,
            wrong.len(),
            wrong.join("\n")
        );

        // Exactly the allowed writes happened: coach and field via the page and the API, and the
        // coach once more with a cookie.
        let coach = &w.actors.iter().find(|a| a.who == Who::Coach).unwrap().token;
        let docs: Vec<Value> = w
            .server
            .client()
            .get(w.server.url(&format!("/api/documents?territory={t}")))
            .bearer_auth(coach.as_ref().unwrap())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(docs.len(), 5, "{docs:?}");
        for d in &docs {
            let id = d["id"].as_str().unwrap();
            assert_eq!(d["url"], format!("automerge:{id}"));
        }
        assert_eq!(
            accounts.territories().await.unwrap().len(),
            3,
            "one territory created by the admin"
        );
        assert!(
            accounts
                .members(Some(other))
                .await
                .unwrap()
                .iter()
                .all(|m| m.email != "spare@test.ma")
        );
        assert!(
            accounts
                .tokens()
                .await
                .unwrap()
                .iter()
                .any(|tk| tk.id == spare_token && tk.revoked_at.is_some())
        );

        // Signing out ends the session.
        let coach = w.actors.iter().find(|a| a.who == Who::Coach).unwrap();
        assert_eq!(call(&w, coach, "logout", &[]).await.0, 200);
        assert_eq!(call(&w, coach, "my_territories", &[]).await.0, 401);
        w.server.stop().await;
    }
}

#[tokio::test]
async fn login_errors_do_not_tell_unknown_emails_from_wrong_passwords() {
    for db in databases() {
        let w = world(&db, Options::default()).await;
        let client = browser_client();
        let wrong_password = login(&w.server, &client, "coach@test.ma", "not the password").await;
        let (s1, b1) = (
            wrong_password.status(),
            wrong_password.text().await.unwrap(),
        );
        let unknown = login(&w.server, &client, "nobody@test.ma", "not the password").await;
        let (s2, b2) = (unknown.status(), unknown.text().await.unwrap());
        assert_eq!((s1.as_u16(), b1.as_str()), (401, "\"InvalidCredentials\""));
        assert_eq!(
            (s2.as_u16(), b2.as_str()),
            (401, b1.as_str()),
            "the same answer"
        );
        // Figures, not a verdict: both run one argon2id verification. Medians of 3 each, on
        // other accounts so the rate limit stays out of the way.
        let mut times = [Vec::new(), Vec::new()];
        for i in 0..3 {
            for (k, email) in ["field@test.ma".to_owned(), format!("ghost{i}@test.ma")]
                .iter()
                .enumerate()
            {
                let started = std::time::Instant::now();
                let _ = login(&w.server, &browser_client(), email, "wrong").await;
                times[k].push(started.elapsed());
            }
        }
        for t in &mut times {
            t.sort();
        }
        println!(
            "{db:?}: login answer time, median of 3: wrong password {:?}, unknown email {:?}",
            times[0][1], times[1][1]
        );
        w.server.stop().await;
    }
}

#[tokio::test]
async fn the_login_rate_limit_kicks_in_and_releases() {
    let db = &databases()[0];
    let w = world(
        db,
        Options {
            settings: Some(|s| {
                s.login_attempts_per_account = 3;
                s.login_window_secs = 2;
            }),
            ..Options::default()
        },
    )
    .await;
    let client = browser_client();
    for _ in 0..3 {
        assert_eq!(
            login(&w.server, &client, "field@test.ma", "wrong")
                .await
                .status(),
            401
        );
    }
    // Even the right password waits now, with a translated message on the page.
    let res = login(&w.server, &client, "field@test.ma", PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert!(res.text().await.unwrap().contains("RateLimited"));
    assert_eq!(
        app::accounts::AccountError::RateLimited {
            retry_after_secs: 2
        }
        .message(app::i18n::Locale::fr),
        "Trop de tentatives. Réessayez dans 1 min."
    );
    // Other accounts from the same address are not locked out by one account's failures.
    assert_eq!(
        login(&w.server, &client, "coach@test.ma", PASSWORD)
            .await
            .status(),
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(
        login(&w.server, &client, "field@test.ma", PASSWORD)
            .await
            .status(),
        200
    );
    w.server.stop().await;
}

#[tokio::test]
async fn cross_site_writes_are_refused_and_change_nothing() {
    for db in databases() {
        let w = world(&db, Options::default()).await;
        let admin = w.actors.iter().find(|a| a.who == Who::Admin).unwrap();
        let before = w.server.state.accounts.territories().await.unwrap().len();
        for (header, value) in [
            ("origin", "http://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let res = admin
                .client
                .post(w.server.url("/fn/admin_create_territory"))
                .header(header, value)
                .header("accept-language", "ar")
                .form(&[("name", "Piège"), ("level", "commune")])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{header}");
            assert_eq!(res.text().await.unwrap(), "طلب مرفوض: لا يأتي من تيران.");
        }
        // A cross-site login attempt too (login CSRF).
        let res = browser_client()
            .post(w.server.url("/fn/login"))
            .header("origin", "http://evil.example")
            .form(&[("email", "admin@test.ma"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(
            w.server.state.accounts.territories().await.unwrap().len(),
            before
        );
        // The same request from the site itself goes through.
        let res = admin
            .client
            .post(w.server.url("/fn/admin_create_territory"))
            .header("origin", format!("http://{}", w.server.addr))
            .form(&[("name", "Commune d'Isly"), ("level", "commune")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        w.server.stop().await;
    }
}

#[tokio::test]
async fn tokens_work_until_revoked() {
    for db in databases() {
        let w = world(&db, Options::default()).await;
        let (id, token) = w
            .server
            .state
            .accounts
            .create_token("coach@test.ma", "laptop")
            .await
            .unwrap();
        let list = |token: String| {
            let client = w.server.client();
            let url = w
                .server
                .url(&format!("/api/documents?territory={}", w.territory));
            async move {
                client
                    .get(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(list(token.clone()).await, 200);
        let listed = w.server.state.accounts.tokens().await.unwrap();
        let row = listed.iter().find(|t| t.id == id).unwrap();
        assert!(row.last_used_at.is_some(), "last use is recorded");
        w.server
            .state
            .accounts
            .revoke_token_as_admin(id, None, None)
            .await
            .unwrap();
        assert_eq!(list(token).await, 401);
        assert_eq!(list("trn_not_a_token".into()).await, 401);
        w.server.stop().await;
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_translated_error_and_changes_nothing() {
    for db in databases() {
        let w = world(&db, Options::default()).await;
        let coach = w.actors.iter().find(|a| a.who == Who::Coach).unwrap();
        let admin = w.actors.iter().find(|a| a.who == Who::Admin).unwrap();
        let token = coach.token.clone().unwrap();
        let post = |body: String, lang: &'static str| {
            w.server
                .client()
                .post(w.server.url("/api/documents"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .header("accept-language", lang)
                .body(body)
                .send()
        };
        let cases = [
            ("{not json", "fr", "Valeur invalide : JSON."),
            (
                r#"{"territory": 1, "kind": "diagnosis"}"#,
                "en",
                "Invalid value: title.",
            ),
            (
                r#"{"territory": 1, "kind": "novel", "title": "x"}"#,
                "ar",
                "قيمة غير صالحة: kind.",
            ),
            (
                r#"{"territory": "one", "kind": "diagnosis", "title": "x"}"#,
                "fr",
                "Valeur invalide",
            ),
            (
                r#"{"territory": 1, "kind": "diagnosis", "title": "   "}"#,
                "fr",
                "Valeur invalide : title.",
            ),
        ];
        for (body, lang, message) in cases {
            let res = post(body.to_owned(), lang).await.unwrap();
            assert_eq!(res.status(), 400, "{body}");
            let v: Value = res.json().await.unwrap();
            assert_eq!(v["error"], "invalid", "{body}");
            assert!(
                v["message"].as_str().unwrap().starts_with(message),
                "{body}: {v}"
            );
        }
        let accounts = &w.server.state.accounts;
        assert!(
            accounts
                .list_documents(&viewer_of(&w, Who::Coach).await, w.territory)
                .await
                .unwrap()
                .is_empty()
        );

        // Duplicate email, an unknown role, an unknown user: refused, nothing added.
        let users_before = accounts.users().await.unwrap().len();
        let members_before = accounts.members(None).await.unwrap().len();
        let (s, b) = call(
            &w,
            admin,
            "admin_create_user",
            &[
                ("email", "COACH@test.ma".into()),
                ("display_name", "".into()),
                ("password", PASSWORD.into()),
            ],
        )
        .await;
        assert_eq!((s.as_u16(), b.as_str()), (409, "\"DuplicateEmail\""));
        let (s, b) = call(
            &w,
            admin,
            "admin_create_user",
            &[
                ("email", "short@test.ma".into()),
                ("display_name", "".into()),
                ("password", "123".into()),
            ],
        )
        .await;
        assert_eq!(
            (s.as_u16(), b.as_str()),
            (400, r#"{"Invalid":{"field":"password"}}"#)
        );
        let (s, b) = call(
            &w,
            admin,
            "admin_add_member",
            &[
                ("territory", w.territory.to_string()),
                ("email", "outsider@test.ma".into()),
                ("role", "chief".into()),
            ],
        )
        .await;
        assert_eq!(
            (s.as_u16(), b.as_str()),
            (400, r#"{"UnknownRole":"chief"}"#)
        );
        let (s, _) = call(
            &w,
            admin,
            "admin_add_member",
            &[
                ("territory", w.territory.to_string()),
                ("email", "ghost@test.ma".into()),
                ("role", "coach".into()),
            ],
        )
        .await;
        assert_eq!(s, 400);
        let (s, _) = call(
            &w,
            admin,
            "admin_add_member",
            &[("territory", w.territory.to_string())],
        )
        .await;
        assert_eq!(s, 400, "a missing field");
        assert_eq!(accounts.users().await.unwrap().len(), users_before);
        assert_eq!(accounts.members(None).await.unwrap().len(), members_before);
        assert_eq!(
            app::accounts::AccountError::UnknownRole("chief".into()).message(app::i18n::Locale::fr),
            "Rôle inconnu « chief » : choisissez coach, field ou manager."
        );
        w.server.stop().await;
    }
}

/// The viewer a signed-in member would be, for calling the accounts service directly.
async fn viewer_of(w: &World, who: Who) -> app::accounts::Viewer {
    let user = w
        .server
        .state
        .accounts
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == who.email())
        .unwrap();
    app::accounts::Viewer {
        user: Some(app::accounts::CurrentUser {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            is_admin: user.is_admin,
            preferred_language: "fr".into(),
        }),
        ..Default::default()
    }
}
