package export

import "github.com/xuri/excelize/v2"

// styles holds the workbook's cell styles. Number styles are made on
// demand, one per format, since each table brings its own formats.
type styles struct {
	x                                 *excelize.File
	title, subtitle, header, text, na int
	numbers                           map[string]int
}

var thin = []excelize.Border{
	{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
	{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
}

func newStyles(x *excelize.File) (*styles, error) {
	st := &styles{x: x, numbers: map[string]int{}}
	defs := []*excelize.Style{
		// Left-aligned, not centred: a long title in narrow columns then
		// stays readable from its start.
		{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}},
		{Font: &excelize.Font{Size: 9, Color: "808080"}, Alignment: &excelize.Alignment{Vertical: "center"}},
		{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Border: thin, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Border: thin, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}},
		// An empty cell of a row: bordered like the rest, nothing else.
		{Border: thin},
	}
	ids := []*int{&st.title, &st.subtitle, &st.header, &st.text, &st.na}
	for i, d := range defs {
		id, err := x.NewStyle(d)
		if err != nil {
			return nil, err
		}
		*ids[i] = id
	}
	return st, nil
}

// number returns the style of numbers shown in format; "" is General.
func (st *styles) number(format string) (int, error) {
	if id, ok := st.numbers[format]; ok {
		return id, nil
	}
	s := &excelize.Style{Border: thin, Alignment: &excelize.Alignment{Vertical: "top"}}
	if format != "" {
		// Always custom, even for codes Excel has built in (#,##0 is 3):
		// the file then says exactly what the caller asked for.
		s.CustomNumFmt = &format
	}
	id, err := st.x.NewStyle(s)
	if err != nil {
		return 0, err
	}
	st.numbers[format] = id
	return id, nil
}
