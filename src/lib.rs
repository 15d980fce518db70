//! resnet-playground: plain and residual networks trained side by side, to show the
//! degradation problem (He et al. 2015, "Deep Residual Learning for Image Recognition").
//!
//! The layout follows the data: [`data`] → [`model`] → [`train`] → the browser worker in
//! `web` (wasm only). [`settings`] is the one state object the page shares through its URL.

pub mod data;
pub mod export;
pub mod model;
pub mod presets;
pub mod rng;
pub mod settings;
pub mod train;
#[cfg(target_arch = "wasm32")]
mod web;
