// Package browser drives examples/backend's demo page in headless Chromium
// (the Debian chromium package) through chromedp. It is a module of its own
// so that the core module's go.mod never gains a browser driver; it holds a
// test only.
package browser
