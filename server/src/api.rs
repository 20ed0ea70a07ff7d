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
    Router::new()
        .route("/api/documents", get(list).post(create))
        .route("/api/portfolio/actions.csv", get(actions_csv))
        .route("/api/portfolio/indicators.csv", get(indicators_csv))
        .route("/api/portfolio/report.xlsx", get(report_xlsx))
}

/// The portfolio's filters as query parameters (`territory`, `status`, `from`, `to`).
#[derive(Deserialize)]
struct PortfolioQuery {
    territory: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl PortfolioQuery {
    fn filter(self) -> app::accounts::PortfolioFilter {
        app::accounts::PortfolioFilter {
            territory: self.territory.and_then(|t| t.trim().parse().ok()),
            status: self.status.filter(|s| !s.is_empty()),
            from: self.from.filter(|s| !s.is_empty()),
            to: self.to.filter(|s| !s.is_empty()),
        }
    }
}

fn csv(name: &str, body: String) -> Response {
    (
        [
            (
                http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn actions_csv(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Query(query): Query<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let p = crate::portfolio::query(state.accounts.db(), &viewer, &query.filter())
        .await
        .map_err(|error| ApiError { error, headers })?;
    Ok(csv(
        "terrain-actions.csv",
        crate::portfolio::actions_csv(&p),
    ))
}

async fn indicators_csv(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Query(query): Query<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let p = crate::portfolio::query(state.accounts.db(), &viewer, &query.filter())
        .await
        .map_err(|error| ApiError { error, headers })?;
    Ok(csv(
        "terrain-indicators.csv",
        crate::portfolio::indicators_csv(&p),
    ))
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

async fn report_xlsx(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    headers: HeaderMap,
    Query(query): Query<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let p = crate::portfolio::query(state.accounts.db(), &viewer, &query.filter())
        .await
        .map_err(|error| ApiError {
            error,
            headers: headers.clone(),
        })?;
    let bytes = crate::portfolio::workbook(&p).map_err(|e| {
        tracing::error!(error = %e, "writing the portfolio workbook");
        ApiError {
            error: AccountError::Internal,
            headers,
        }
    })?;
    Ok((
        [
            (
                http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"terrain-portfolio.xlsx\"".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}
