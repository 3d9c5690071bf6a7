// Package extract reads narrative reports (法治政府建设 experience reports
// and the like) and finds the figures a rule-of-law dashboard tracks.
//
// It is pure Go: no network, no model. Text is decoded (UTF-8, GBK, .docx),
// split into sentences and clauses, number mentions are parsed (Arabic and
// Chinese numerals, 余/多/近/约 qualifiers, 万/亿, %, ranges, pairs), the
// mentions that are not figures are dropped (policy names, ordinals, dates,
// titles), and each remaining mention is given the indicator whose alias
// stands nearest to it in its clause. Every candidate keeps its byte offsets
// into the text, so the figure stays traceable to the sentence it came from.
//
// It knows nothing of the database or HTTP; it imports only internal/kpi.
package extract
