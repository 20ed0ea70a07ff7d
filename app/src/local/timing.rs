//! User Timing marks (`performance.measure`) around the work a page does on its own — opening a
//! document from this device, a resync, a layout step, the network metrics — so that DevTools
//! and the benchmarks under `tests/bench/` read the same figures. Nothing on the server.

/// Runs `f`, recording its duration under `name` in the browser's performance timeline.
pub fn measure<R>(name: &str, f: impl FnOnce() -> R) -> R {
    #[cfg(feature = "hydrate")]
    {
        let Some(perf) = web_sys::window().and_then(|w| w.performance()) else {
            return f();
        };
        let start = perf.now();
        let out = f();
        record(name, start);
        out
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        f()
    }
}

/// The current time on the performance clock (ms), to pair with [`record`].
pub fn now() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }
    #[cfg(not(feature = "hydrate"))]
    0.0
}

/// Records a span from `start` (see [`now`]) to now under `name`.
pub fn record(name: &str, start: f64) {
    #[cfg(feature = "hydrate")]
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        // performance.measure(name, { start, end }): the options form is not in web-sys's
        // stable API, so call it by name.
        use wasm_bindgen::JsCast;
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
        let _ = js_sys::Reflect::set(&options, &"end".into(), &perf.now().into());
        if let Ok(measure) = js_sys::Reflect::get(&perf, &"measure".into())
            && let Ok(measure) = measure.dyn_into::<js_sys::Function>()
        {
            let _ = measure.call2(&perf, &name.into(), &options);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, start);
}
