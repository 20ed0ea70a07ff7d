//! The HTTP API for integrators: `POST /api/documents` and `GET /api/documents?territory=ID`.
//! Auth by bearer token or session cookie (resolved by the viewer middleware). Errors answer
//! `{"error": code, "message": translated text}` with the matching status.

use app::accounts::{AccountError, AccountsBackend, DocumentKind, Viewer};
use axum::{
    Extension, Json, Router,
    extract::{Query, State, rejection::JsonRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use crate::{i18n::request_locale, state::AppState};

/// An account error rendered for an API client, in the request's language.
pub struct ApiError {
    error: AccountError,
    headers: HeaderMap,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({
            "error": self.error.code(),
            "message": self.error.message(request_locale(&self.headers)),
        });
        (status, Json(body)).into_response()
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/documents", get(list).post(create))
}

#[derive(Deserialize)]
struct NewDocument {
    territory: i32,
    kind: String,
    title: String,
}

async fn create(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    body: Result<Json<NewDocument>, JsonRejection>,
) -> Result<Response, ApiError> {
    let fail = |error| ApiError {
        error,
        headers: headers.clone(),
    };
    // Who is asking comes before what they sent: an anonymous caller learns nothing.
    viewer.user().map_err(fail)?;
    let Json(new) = body.map_err(|rejection| {
        fail(AccountError::Invalid {
            field: json_problem(&rejection),
        })
    })?;
    let kind: DocumentKind = new.kind.parse().map_err(|_| {
        fail(AccountError::Invalid {
            field: "kind".into(),
        })
    })?;
    let doc = state
        .accounts
        .create_document(&viewer, new.territory, kind, &new.title)
        .await
        .map_err(fail)?;
    let body = serde_json::json!({ "id": doc.id, "url": doc.url });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Names what is wrong with a JSON body, for the `invalid` message.
fn json_problem(rejection: &JsonRejection) -> String {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => "content-type (application/json)".into(),
        JsonRejection::JsonSyntaxError(_) => "JSON".into(),
        JsonRejection::JsonDataError(e) => {
            let text = e.body_text();
            match text.split_once("missing field `") {
                Some((_, rest)) => rest.split('`').next().unwrap_or("body").to_owned(),
                None => text
                    .rsplit_once(": ")
                    .map(|(_, why)| why.to_owned())
                    .unwrap_or_else(|| "body".into()),
            }
        }
        _ => "body".into(),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    territory: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let fail = |error| ApiError {
        error,
        headers: headers.clone(),
    };
    viewer.user().map_err(fail)?;
    let territory: i32 = query
        .territory
        .as_deref()
        .and_then(|t| t.trim().parse().ok())
        .ok_or_else(|| {
            fail(AccountError::Invalid {
                field: "territory".into(),
            })
        })?;
    let docs = state
        .accounts
        .list_documents(&viewer, territory)
        .await
        .map_err(fail)?;
    Ok(Json(docs).into_response())
}
