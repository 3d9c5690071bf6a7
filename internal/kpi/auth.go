package kpi

// Role is what an account may do.
type Role string

const (
	RoleAdmin    Role = "admin"    // everything
	RoleReviewer Role = "reviewer" // approves and returns submissions in a region subtree; sets targets there
	RoleEditor   Role = "editor"   // enters its department's indicators in its department's region
	RoleViewer   Role = "viewer"   // reads charts and tables, optionally only in a subtree
)

// Roles lists the roles in order of power.
var Roles = []Role{RoleAdmin, RoleReviewer, RoleEditor, RoleViewer}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Invalid("role", "角色 %q 无效：应为 admin、reviewer、editor 或 viewer", "role %q is invalid: use admin, reviewer, editor or viewer", s)
}

// Label names the role in lang.
func (r Role) Label(lang string) string {
	zh := map[Role]string{RoleAdmin: "管理员", RoleReviewer: "审核人", RoleEditor: "填报人", RoleViewer: "查看人"}
	if lang == "en" {
		return string(r)
	}
	return zh[r]
}

// DepartmentTypes are the kinds of department that enter figures, keyed as
// in the catalogue's department field.
var DepartmentTypes = []struct{ Code, NameZH, NameEN string }{
	{"court", "人民法院", "People's Court"},
	{"justice", "司法局", "Justice Bureau"},
	{"approval", "行政审批服务局", "Administrative Approval Bureau"},
	{"office", "依法治市办", "Rule-of-Law Office"},
	{"market", "市场监督管理局", "Market Regulation Bureau"},
	{"stats", "统计局", "Statistics Bureau"},
}

// DepartmentTypeName names a department type.
func DepartmentTypeName(code, lang string) string {
	for _, t := range DepartmentTypes {
		if t.Code == code {
			if lang == "en" {
				return t.NameEN
			}
			return t.NameZH
		}
	}
	return code
}

// Department is a unit that enters figures: one type in one region.
type Department struct {
	ID     int64
	Region int
	Type   string
	Name   string
}

// Owns reports whether the department enters ind.
func (d Department) Owns(ind Indicator) bool { return ind.Department == d.Type }

// User is a logged-in account.
type User struct {
	ID          int64
	Name        string // login name
	DisplayName string
	Role        Role
	Region      int         // scope: 0 for everywhere
	Department  *Department // editors only
}

// Action is something a user asks to do.
type Action string

const (
	ActView       Action = "view"        // charts, tables, the API's reads
	ActEnter      Action = "enter"       // write drafts, submit, upload a department sheet, see drafts
	ActReview     Action = "review"      // approve, return, reopen; the completeness page
	ActSetTargets Action = "set_targets" // targets
	ActAdmin      Action = "admin"       // accounts, departments, backfill uploads
)

// Actions lists every action, for tests that walk the matrix.
var Actions = []Action{ActView, ActEnter, ActReview, ActSetTargets, ActAdmin}

// Resource is what an action is about. Path is the region's chain from its
// province down to itself (empty: "anywhere", which asks only whether the
// role may do this at all); Indicator is set for entries.
type Resource struct {
	Path      []int
	Indicator *Indicator
	Nation    bool // every region of a level in the whole country, e.g. all ~340 cities
}

// inScope reports whether the resource lies in the subtree of scope (0 =
// everywhere): the region at the end of its path, or the whole country.
func inScope(scope int, res Resource) bool {
	if scope == 0 {
		return true
	}
	if res.Nation {
		return false
	}
	path := res.Path
	if len(path) == 0 {
		return true
	}
	for _, code := range path {
		if code == scope {
			return true
		}
	}
	return false
}

// Authorize is the one policy: role × region scope × department × action.
// It returns nil, or an EUNAUTHORIZED (nobody logged in) or EFORBIDDEN error
// saying why. Every route and every write asks it.
func Authorize(u *User, act Action, res Resource) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "请先登录", "please log in")
	}
	deny := func(zh, en string) error {
		return &Error{Code: EFORBIDDEN, Message: "无权操作：" + zh, MessageEN: "not allowed: " + en}
	}
	if u.Role == RoleAdmin {
		return nil
	}
	switch act {
	case ActView:
		if (u.Role == RoleViewer || u.Role == RoleReviewer) && !inScope(u.Region, res) {
			return deny("该地区不在您的查看范围内", "this region is outside your scope")
		}
		return nil
	case ActEnter:
		if u.Role != RoleEditor || u.Department == nil {
			return deny("只有填报人可以填报数据", "only editors enter figures")
		}
		if res.Nation || len(res.Path) > 0 && res.Path[len(res.Path)-1] != u.Department.Region {
			return deny("只能填报本部门所在地区的数据", "editors enter figures for their department's region only")
		}
		if res.Indicator != nil && !u.Department.Owns(*res.Indicator) {
			return deny("该指标不由本部门填报", "this indicator belongs to another department")
		}
		return nil
	case ActReview, ActSetTargets:
		if u.Role != RoleReviewer {
			return deny("只有审核人可以审核、查看报送情况和设定目标", "only reviewers review, follow completeness and set targets")
		}
		if !inScope(u.Region, res) {
			return deny("该地区不在您的审核范围内", "this region is outside your review scope")
		}
		return nil
	}
	return deny("需要管理员权限", "administrators only")
}
