// Package kpi holds govkpi's domain: regions, indicators, periods, values and
// the rules that turn stored figures into numbers a leader can trust —
// aggregation over periods and regions, ratios, ranks, year-on-year change
// and progress against targets.
//
// It imports neither the database nor HTTP. The store fetches raw sums and
// this package decides what they mean; the web layer renders the result.
package kpi
