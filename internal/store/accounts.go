package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/govkpi/govkpi/internal/kpi"
)

type departmentRow struct {
	ID         int64 `gorm:"primaryKey"`
	RegionCode int
	Type       string
	Name       string
}

func (departmentRow) TableName() string { return "departments" }

func (r departmentRow) domain() kpi.Department {
	return kpi.Department{ID: r.ID, Region: r.RegionCode, Type: r.Type, Name: r.Name}
}

type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Name         string
	DisplayName  string
	Role         string
	RegionCode   *int
	DepartmentID *int64
	PasswordHash string
	Disabled     int
	CreatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

type sessionRow struct {
	IDHash     string `gorm:"primaryKey;column:id_hash"`
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	IP         string `gorm:"column:ip"`
}

func (sessionRow) TableName() string { return "sessions" }

type tokenRow struct {
	Hash      string `gorm:"primaryKey"`
	UserID    int64
	Name      string
	CreatedAt time.Time
}

func (tokenRow) TableName() string { return "api_tokens" }

type loginFailureRow struct {
	ID      int64 `gorm:"primaryKey"`
	Account string
	IP      string `gorm:"column:ip"`
	At      time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

type auditRow struct {
	ID      int64 `gorm:"primaryKey"`
	At      time.Time
	Actor   string
	Action  string
	Subject string
	Detail  string
}

func (auditRow) TableName() string { return "audit_log" }

// audit appends a non-value event to the audit log.
func (s *Store) audit(tx *gorm.DB, actor, action, subject, detail string) error {
	return tx.Create(&auditRow{At: s.now(), Actor: actor, Action: action, Subject: subject, Detail: detail}).Error
}

// EnsureDepartment returns the department of a type in a region, creating it.
func (s *Store) EnsureDepartment(ctx context.Context, region int, typ, name string) (kpi.Department, error) {
	if kpi.DepartmentTypeName(typ, "en") == typ {
		return kpi.Department{}, kpi.Invalid("department", "部门类型 %q 无效", "unknown department type %q", typ)
	}
	var row departmentRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var reg regionRow
		if err := tx.Where("code = ?", region).Take(&reg).Error; err != nil {
			return unknownRegion(region)
		}
		if name == "" {
			name = reg.Name + kpi.DepartmentTypeName(typ, "zh")
		}
		res := tx.Where("region_code = ? AND type = ?", region, typ).Limit(1).Find(&row)
		if res.Error != nil || res.RowsAffected > 0 {
			return res.Error
		}
		row = departmentRow{RegionCode: region, Type: typ, Name: name}
		return tx.Create(&row).Error
	})
	return row.domain(), err
}

// Departments lists the departments in the subtree of within (0: all),
// by region then type.
func (s *Store) Departments(ctx context.Context, within int) ([]kpi.Department, error) {
	q := s.db.WithContext(ctx).Order("region_code, type")
	if within != 0 {
		q = q.Where("region_code = ? OR region_code IN (SELECT code FROM regions WHERE parent_code = ?) OR region_code IN (SELECT code FROM regions WHERE parent_code IN (SELECT code FROM regions WHERE parent_code = ?))", within, within, within)
	}
	var rows []departmentRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, s.wrap(err)
	}
	out := make([]kpi.Department, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Department returns one department.
func (s *Store) Department(ctx context.Context, id int64) (kpi.Department, error) {
	var row departmentRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		if kpi.ErrorCode(s.wrap(err)) == kpi.ENOTFOUND {
			return kpi.Department{}, kpi.Invalid("department", "部门 %d 不存在", "department %d does not exist", id)
		}
		return kpi.Department{}, s.wrap(err)
	}
	return row.domain(), nil
}

// NewUser is an account to create. The password is never logged or stored.
type NewUser struct {
	Name, DisplayName string
	Role              kpi.Role
	Region            int   // scope, 0 = everywhere
	Department        int64 // editors only
	Password          string
}

var loginName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{2,64}$`)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// CreateUser adds an account with a bcrypt-hashed password.
func (s *Store) CreateUser(ctx context.Context, actor string, nu NewUser) (kpi.User, error) {
	if !loginName.MatchString(nu.Name) {
		return kpi.User{}, kpi.Invalid("name", "用户名须为2–64位字母、数字或 _ . -", "the login name must be 2–64 letters, digits or _ . -")
	}
	if _, err := kpi.ParseRole(string(nu.Role)); err != nil {
		return kpi.User{}, err
	}
	if len([]rune(nu.Password)) < MinPasswordLength {
		return kpi.User{}, kpi.Invalid("password", "密码至少%d位", "the password needs at least %d characters", MinPasswordLength)
	}
	if (nu.Role == kpi.RoleEditor) != (nu.Department != 0) {
		return kpi.User{}, kpi.Invalid("department", "填报人必须属于一个部门，其他角色不属于部门", "an editor belongs to a department, and only an editor does")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(nu.Password), s.bcryptCost)
	if err != nil {
		return kpi.User{}, kpi.Internal(err)
	}
	if nu.DisplayName == "" {
		nu.DisplayName = nu.Name
	}
	row := userRow{Name: nu.Name, DisplayName: nu.DisplayName, Role: string(nu.Role), PasswordHash: string(hash), CreatedAt: s.now()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if nu.Department != 0 {
			var d departmentRow
			if err := tx.Where("id = ?", nu.Department).Take(&d).Error; err != nil {
				return kpi.Invalid("department", "部门 %d 不存在", "department %d does not exist", nu.Department)
			}
			row.DepartmentID, nu.Region = &nu.Department, d.RegionCode
		}
		if nu.Region != 0 {
			if err := s.checkRegion(tx, nu.Region); err != nil {
				return err
			}
			row.RegionCode = &nu.Region
		}
		var n int64
		if err := tx.Model(&userRow{}).Where("name = ?", nu.Name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return kpi.Errorf(kpi.ECONFLICT, "用户名 %s 已存在", "the login name %s is taken", nu.Name)
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "user.create", nu.Name, "role="+string(nu.Role))
	})
	if err != nil {
		return kpi.User{}, err
	}
	return s.userByID(ctx, row.ID)
}

// UserByName returns an account by login name.
func (s *Store) UserByName(ctx context.Context, name string) (kpi.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("name = ?", name).Take(&row).Error; err != nil {
		return kpi.User{}, s.wrap(err)
	}
	return s.userOf(ctx, row)
}

func (s *Store) userByID(ctx context.Context, id int64) (kpi.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("id = ? AND disabled = 0", id).Take(&row).Error; err != nil {
		return kpi.User{}, s.wrap(err)
	}
	return s.userOf(ctx, row)
}

func (s *Store) userOf(ctx context.Context, row userRow) (kpi.User, error) {
	u := kpi.User{ID: row.ID, Name: row.Name, DisplayName: row.DisplayName, Role: kpi.Role(row.Role)}
	if row.RegionCode != nil {
		u.Region = *row.RegionCode
	}
	if row.DepartmentID != nil {
		d, err := s.Department(ctx, *row.DepartmentID)
		if err != nil {
			return kpi.User{}, err
		}
		u.Department = &d
	}
	return u, nil
}

// Login throttling: failures counted per account and per address over a
// window, in the database so that every instance sees them.
const (
	throttleWindow     = 15 * time.Minute
	maxAccountFailures = 5
	maxIPFailures      = 20
)

// dummyHash keeps the time of a login for an unknown account equal to that
// of a wrong password, so timing does not reveal which accounts exist.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("govkpi-timing-equaliser"), bcrypt.DefaultCost)

// Authenticate checks a login. Too many recent failures for the account or
// the address refuse it before the password is looked at.
func (s *Store) Authenticate(ctx context.Context, name, password, ip string) (kpi.User, error) {
	db := s.db.WithContext(ctx)
	since := s.now().Add(-throttleWindow)
	var byAccount, byIP int64
	if err := db.Model(&loginFailureRow{}).Where("account = ? AND at > ?", name, since).Count(&byAccount).Error; err != nil {
		return kpi.User{}, s.wrap(err)
	}
	if err := db.Model(&loginFailureRow{}).Where("ip = ? AND at > ?", ip, since).Count(&byIP).Error; err != nil {
		return kpi.User{}, s.wrap(err)
	}
	if byAccount >= maxAccountFailures || byIP >= maxIPFailures {
		return kpi.User{}, kpi.Errorf(kpi.ETOOMANY, "登录失败次数过多，请%d分钟后再试", "too many failed logins: try again in %d minutes", int(throttleWindow.Minutes()))
	}
	var row userRow
	res := db.Where("name = ? AND disabled = 0", name).Limit(1).Find(&row)
	if res.Error != nil {
		return kpi.User{}, s.wrap(res.Error)
	}
	hash := []byte(row.PasswordHash)
	if res.RowsAffected == 0 {
		hash = dummyHash
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || res.RowsAffected == 0 {
		fail := loginFailureRow{Account: name, IP: ip, At: s.now()}
		if err := s.tx(ctx, func(tx *gorm.DB) error { return tx.Create(&fail).Error }); err != nil {
			return kpi.User{}, err
		}
		return kpi.User{}, kpi.Errorf(kpi.EUNAUTHORIZED, "用户名或密码错误", "wrong login name or password")
	}
	if err := s.tx(ctx, func(tx *gorm.DB) error { return tx.Where("account = ?", name).Delete(&loginFailureRow{}).Error }); err != nil {
		return kpi.User{}, err
	}
	return s.userOf(ctx, row)
}

func newSecret() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", kpi.Internal(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashSecret(token), nil
}

func hashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Session lifetimes.
type SessionLimits struct {
	Idle     time.Duration // since the last request
	Absolute time.Duration // since login
}

// DefaultSessionLimits: two idle hours, twelve in all.
var DefaultSessionLimits = SessionLimits{Idle: 2 * time.Hour, Absolute: 12 * time.Hour}

// CreateSession starts a session and returns the secret for the cookie.
// Each login gets a new id, so a session id planted before login is useless.
func (s *Store) CreateSession(ctx context.Context, userID int64, ip string) (string, error) {
	token, hash, err := newSecret()
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Create(&sessionRow{IDHash: hash, UserID: userID, CreatedAt: now, LastSeenAt: now, IP: ip}).Error
	})
	return token, err
}

// SessionUser returns the user of a live session, ending it when it has
// expired. The last-seen time is written at most once a minute.
func (s *Store) SessionUser(ctx context.Context, token string, lim SessionLimits) (kpi.User, error) {
	expired := kpi.Errorf(kpi.EUNAUTHORIZED, "登录已过期，请重新登录", "your session has expired: please log in again")
	if token == "" {
		return kpi.User{}, expired
	}
	hash := hashSecret(token)
	// The session and its account in one query: every request asks.
	var row struct {
		CreatedAt, LastSeenAt time.Time
		User                  userRow `gorm:"embedded;embeddedPrefix:u_"`
	}
	res := s.db.WithContext(ctx).Raw(`SELECT s.created_at, s.last_seen_at, u.id AS u_id, u.name AS u_name,
		u.display_name AS u_display_name, u.role AS u_role, u.region_code AS u_region_code,
		u.department_id AS u_department_id, u.disabled AS u_disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, hash).Scan(&row)
	if res.Error != nil {
		return kpi.User{}, s.wrap(res.Error)
	}
	now := s.now()
	if res.RowsAffected == 0 || row.User.Disabled != 0 {
		return kpi.User{}, expired // no such session, or the account was disabled
	}
	if now.Sub(row.CreatedAt) > lim.Absolute || now.Sub(row.LastSeenAt) > lim.Idle {
		_ = s.DeleteSession(ctx, token)
		return kpi.User{}, expired
	}
	if now.Sub(row.LastSeenAt) > time.Minute {
		if err := s.db.WithContext(ctx).Model(&sessionRow{}).Where("id_hash = ?", hash).Update("last_seen_at", now).Error; err != nil {
			return kpi.User{}, s.wrap(err)
		}
	}
	return s.userOf(ctx, row.User)
}

// DeleteSession ends a session on the server: the cookie is worthless afterwards.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Where("id_hash = ?", hashSecret(token)).Delete(&sessionRow{}).Error
	})
}

// CreateAPIToken issues a token for scripts; the secret is shown once.
func (s *Store) CreateAPIToken(ctx context.Context, userID int64, name string) (string, error) {
	token, hash, err := newSecret()
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&tokenRow{Hash: hash, UserID: userID, Name: name, CreatedAt: s.now()}).Error; err != nil {
			return err
		}
		return s.audit(tx, "system", "token.create", strings.TrimSpace(name), "")
	})
	return "govkpi_" + token, err
}

// TokenUser returns the user of an API token.
func (s *Store) TokenUser(ctx context.Context, token string) (kpi.User, error) {
	bad := kpi.Errorf(kpi.EUNAUTHORIZED, "API 令牌无效", "invalid API token")
	secret, ok := strings.CutPrefix(token, "govkpi_")
	if !ok {
		return kpi.User{}, bad
	}
	var row tokenRow
	res := s.db.WithContext(ctx).Where("hash = ?", hashSecret(secret)).Limit(1).Find(&row)
	if res.Error != nil {
		return kpi.User{}, s.wrap(res.Error)
	}
	if res.RowsAffected == 0 {
		return kpi.User{}, bad
	}
	u, err := s.userByID(ctx, row.UserID)
	if kpi.ErrorCode(err) == kpi.ENOTFOUND {
		return kpi.User{}, bad
	}
	return u, err
}
