package demo

import (
	"context"
	"io/fs"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/store"
)

// seedReports are the five real experience reports (db/reports, from
// 法治政府建设经验材料汇编), loaded as documents so that a new user sees the
// Documents page at work. Each is filed under the region it is about where
// the text says so; two name no place and are filed under the demo
// province. All describe 2020 (民法典, 六稳六保, the 2019–2020 plans).
var seedReports = []struct {
	file   string
	region int
	title  string
}{
	{"reports/01.txt", 460100, "多维度推进法治政府建设打造新时代法治之城"},   // 龙华区, 湾长制: Haikou
	{"reports/02.txt", Province, "全力推进法治政府建设示范创建"},       // a city of an autonomous region, unnamed
	{"reports/03.txt", 450000, "守初心 担使命 争做服务全面依法治区的排头兵"}, // 壮乡, 百色, 东盟: Guangxi
	{"reports/04.txt", 511700, "激情奏响社会治理“五部曲”"},          // 渠江, 普光, 万达开: Dazhou
	{"reports/05.txt", 330100, "“五力并举”积极推进诉源治理"},         // an intermediate court, unnamed: filed under 杭州市
}

const seedReportYear = 2020

// loadDocuments stores the seed reports; their candidates are computed when
// a document is opened.
func loadDocuments(ctx context.Context, st *store.Store) error {
	for _, r := range seedReports {
		text, err := fs.ReadFile(db.Files, r.file)
		if err != nil {
			return err
		}
		if _, err := st.AddDocument(ctx, "demo", store.Document{Region: r.region, Year: seedReportYear, Title: r.title,
			Filename: "法治政府建设经验材料汇编.txt", Text: string(text)}); err != nil {
			return err
		}
	}
	return nil
}
