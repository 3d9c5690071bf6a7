// Package static embeds the browser assets: the page script, the style
// sheet, and ECharts itself (vendor/, from the npm package echarts 5.6.0,
// Apache-2.0), so that no request ever leaves the server.
package static

import "embed"

// Files is served under /static/.
//
//go:embed app.js style.css favicon.svg vendor
var Files embed.FS
