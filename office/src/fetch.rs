//! Files the office shows or saves that a plain link cannot fetch (it cannot carry the bearer
//! token): the answer read with the session's token and handed to the page as an object URL.

use wasm_bindgen::JsCast;

use app::api;

/// An object URL of what `path` answers, or `Err` when no good answer came. The caller revokes it
/// with [`revoke`] when it is no longer shown.
pub async fn object_url(path: &str, token: Option<&str>) -> Result<String, ()> {
    let response = api::raw("GET", path, None, &[], token)
        .await
        .map_err(|_| ())?;
    if !response.ok() {
        return Err(());
    }
    let blob = wasm_bindgen_futures::JsFuture::from(response.blob().map_err(|_| ())?)
        .await
        .map_err(|_| ())?
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| ())?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ())
}

pub fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}
