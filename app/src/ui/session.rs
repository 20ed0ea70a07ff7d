//! Who is signed in, shared by every page: the sign-in and sign-out actions and the current
//! user, refetched whenever either action completes.

use crate::accounts::{
    AccountError, CurrentUser,
    api::{Login, Logout, who_am_i},
};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Session {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub user: Resource<Result<Option<CurrentUser>, AccountError>>,
}

impl Session {
    /// The signed-in user, once known.
    pub fn current(&self) -> Option<CurrentUser> {
        self.user.get().and_then(Result::ok).flatten()
    }

    /// A number that changes whenever someone signs in or out, for resources to depend on.
    pub fn generation(&self) -> usize {
        self.login.version().get() + self.logout.version().get()
    }
}

pub fn provide_session() -> Session {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new_blocking(
        move || login.version().get() + logout.version().get(),
        |_| who_am_i(),
    );
    let session = Session {
        login,
        logout,
        user,
    };
    provide_context(session);
    // Pages the service worker kept for this account must not show to the next one.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if matches!(logout.value().get(), Some(Ok(())))
            && let Some(worker) =
                web_sys::window().and_then(|w| w.navigator().service_worker().controller())
        {
            let _ = worker.post_message(&"forget-pages".into());
        }
    });
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
