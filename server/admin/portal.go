package admin

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/policy"
)

// cookieName holds the admin's session token in the browser, scoped to
// /admin/ so the JSON API never sees it (the API takes bearer tokens only and
// so needs no CSRF defence).
const cookieName = accounts.CookieName

// maxFormBytes bounds every portal form body.
const maxFormBytes = 64 << 10

//go:embed templates/*.html
var templateFS embed.FS

// pages are parsed once: each page file with the shared layout.
var pages = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"login", "error", "policies", "policy", "users", "user", "groups", "group"} {
		m[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}()

// view is what every template gets.
type view struct {
	Title string
	Nav   string
	Admin accounts.User
	CSRF  string
	Data  any
}

func (h *Handler) portalRoutes() []route {
	return []route{
		{"GET", "/admin/{$}", h.home},
		{"POST", "/admin/logout", h.logout},

		{"GET", "/admin/policies", h.policiesPage},
		{"POST", "/admin/policies", h.createPolicyForm},
		{"GET", "/admin/policies/{name}", h.policyPage},
		{"POST", "/admin/policies/{name}", h.updatePolicyForm},
		{"POST", "/admin/policies/{name}/delete", h.deletePolicyForm},
		{"POST", "/admin/grants", h.grantForm},
		{"POST", "/admin/grants/revoke", h.revokeForm},

		{"GET", "/admin/users", h.usersPage},
		{"POST", "/admin/users", h.createUserForm},
		{"GET", "/admin/users/{id}", h.userPage},
		{"POST", "/admin/users/{id}/enable", h.setEnabledForm(true)},
		{"POST", "/admin/users/{id}/disable", h.setEnabledForm(false)},
		{"POST", "/admin/users/{id}/password", h.passwordForm},

		{"GET", "/admin/groups", h.groupsPage},
		{"POST", "/admin/groups", h.createGroupForm},
		{"GET", "/admin/groups/{name}", h.groupPage},
		{"POST", "/admin/groups/{name}/members", h.addMemberForm},
		{"POST", "/admin/groups/{name}/members/remove", h.removeMemberForm},
		{"POST", "/admin/groups/{name}/rank", h.rankForm},
		{"POST", "/admin/groups/{name}/delete", h.deleteGroupForm},
	}
}

func sessionCookie(r *http.Request) string {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return ""
	}
	return c.Value
}

// page wraps a portal route: cookie session → admin (401 shows the sign-in
// form, 403 an error page), and for POST the cross-origin check and the
// CSRF token.
func (h *Handler) page(next authedHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
		w.Header().Set("Referrer-Policy", "same-origin")
		token := sessionCookie(r)
		u, st := h.authorize(r.Context(), token)
		switch st {
		case http.StatusOK:
		case http.StatusUnauthorized:
			next := ""
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			h.renderLogin(w, http.StatusUnauthorized, next, "")
			return
		case http.StatusForbidden:
			h.renderError(w, http.StatusForbidden, "Administrators only",
				"This account is not an administrator of the organization.")
			return
		default:
			h.renderError(w, st, "Server error", "Something went wrong; try again.")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
			if err := h.crossOrig.Check(r); err != nil {
				h.renderError(w, http.StatusForbidden, "Request refused", "Cross-origin form submissions are not accepted.")
				return
			}
			if !h.validCSRF(token, r.PostFormValue("csrf")) {
				h.renderError(w, http.StatusForbidden, "Request refused",
					"The form's security token is missing or out of date; reload the page and try again.")
				return
			}
		}
		next(w, r, u)
	})
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, v view) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var b strings.Builder
	if err := pages[name].ExecuteTemplate(&b, "page", v); err != nil {
		h.log.Error("admin portal: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

func (h *Handler) renderError(w http.ResponseWriter, status int, title, msg string) {
	h.render(w, status, "error", view{Title: title, Data: msg})
}

type loginData struct{ Next, Error string }

func (h *Handler) renderLogin(w http.ResponseWriter, status int, next, errMsg string) {
	h.render(w, status, "login", view{Title: "Sign in", Data: loginData{Next: safeNext(next), Error: errMsg}})
}

// portalHome is where a sign-in goes when its next= target is refused.
const portalHome = "/admin/policies"

// safeNext keeps post-login redirects inside the portal: next must be a
// same-origin path (no scheme, host or user) that is still under /admin
// after dot segments are resolved, as the browser and http.Redirect would
// resolve them. It returns the normalised path (with its query), or
// portalHome.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return portalHome
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return portalHome
	}
	clean := path.Clean(u.Path)
	if clean != "/admin" && !strings.HasPrefix(clean, "/admin/") {
		return portalHome
	}
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	out := (&url.URL{Path: clean, RawQuery: u.RawQuery}).String()
	if strings.HasPrefix(out, "//") {
		return portalHome
	}
	return out
}

// failPage shows a domain error with the matching status.
func (h *Handler) failPage(w http.ResponseWriter, err error) {
	st, _ := status(err)
	if st == http.StatusInternalServerError {
		h.log.Error("admin portal", "err", err)
	}
	h.renderError(w, st, http.StatusText(st), message(err))
}

func (h *Handler) view(r *http.Request, admin accounts.User, title, nav string, data any) view {
	return view{Title: title, Nav: nav, Admin: admin, CSRF: h.csrfToken(sessionCookie(r)), Data: data}
}

// seeOther ends a successful POST (post/redirect/get).
func seeOther(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// back returns the form's "back" target when it is a portal page.
func back(r *http.Request, fallback string) string {
	if b := r.PostFormValue("back"); b != "" && safeNext(b) == b {
		return b
	}
	return fallback
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, st := h.authorize(r.Context(), sessionCookie(r)); st == http.StatusOK {
		seeOther(w, r, safeNext(r.URL.Query().Get("next")))
		return
	}
	h.renderLogin(w, http.StatusOK, r.URL.Query().Get("next"), "")
}

func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	next := r.PostFormValue("next")
	s, err := h.acc.SignIn(r.Context(), r.PostFormValue("login"), r.PostFormValue("password"), accounts.ClientAddr(r), r.UserAgent())
	if err != nil {
		st, _ := status(err)
		msg := "Wrong user or password."
		var throttled *accounts.ThrottledError
		if errors.As(err, &throttled) {
			msg = "Too many failed sign-ins; " + throttled.Error()[len("accounts: "):] + "."
		} else if st == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "1")
			msg = "The server is busy; try again in a moment."
		} else if st == http.StatusInternalServerError {
			h.log.Error("admin portal: sign-in", "err", err)
			msg = "Sign-in failed; try again."
		}
		h.renderLogin(w, st, next, msg)
		return
	}
	if !s.User.Admin {
		// Do not leave a session behind that the admin portal cannot use.
		if err := h.acc.SignOut(r.Context(), s.Token); err != nil {
			h.log.Error("admin portal: sign out non-admin", "err", err)
		}
		h.renderLogin(w, http.StatusForbidden, next, "This account is not an administrator.")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: s.Token, Path: "/admin/",
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode,
	})
	seeOther(w, r, safeNext(next))
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.acc.SignOut(r.Context(), sessionCookie(r)); err != nil {
		h.log.Error("admin portal: sign out", "err", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: "", Path: "/admin/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode,
	})
	seeOther(w, r, "/admin/login")
}

func (h *Handler) home(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	seeOther(w, r, "/admin/policies")
}

// policyRow is one line of the policies page.
type policyRow = PolicyDetail

func (h *Handler) policiesPage(w http.ResponseWriter, r *http.Request, admin accounts.User) {
	ctx := r.Context()
	ps, err := h.pol.Store().Policies(ctx)
	if err != nil {
		h.failPage(w, err)
		return
	}
	gs, err := h.pol.Store().Grants(ctx)
	if err != nil {
		h.failPage(w, err)
		return
	}
	data := struct {
		Policies []policyRow
		Tenant   string
	}{}
	for _, p := range ps {
		row := policyRow{Policy: p}
		for _, g := range gs {
			if g.Policy == p.Name {
				row.Grants = append(row.Grants, g)
			}
		}
		data.Policies = append(data.Policies, row)
	}
	for _, g := range gs {
		if g.Target.Kind == policy.TargetTenant {
			data.Tenant = g.Policy
		}
	}
	h.render(w, http.StatusOK, "policies", h.view(r, admin, "Enhanced encryption policies", "policies", data))
}

func (h *Handler) policyPage(w http.ResponseWriter, r *http.Request, admin accounts.User) {
	d, err := h.policyDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		h.failPage(w, err)
		return
	}
	groups, err := h.pol.Store().Groups(r.Context())
	if err != nil {
		h.failPage(w, err)
		return
	}
	data := struct {
		Detail PolicyDetail
		Groups []policy.Group
	}{d, groups}
	h.render(w, http.StatusOK, "policy", h.view(r, admin, d.Policy.Name, "policies", data))
}

// policyForm reads the settings fields of the policy forms; a checkbox
// that is not sent is off. An empty retention field leaves days nil.
func policyForm(r *http.Request) (p policy.Policy, days *int, err error) {
	e, err := policy.ParseE2EE(r.PostFormValue("e2ee"))
	if err != nil {
		return policy.Policy{}, nil, err
	}
	if v := strings.TrimSpace(r.PostFormValue("retention_days")); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil {
			return policy.Policy{}, nil, fmt.Errorf("%w: retention days %q is not a number", policy.ErrInvalid, v)
		}
		days = &d
	}
	return policy.Policy{
		E2EE:           e,
		AllowRecording: r.PostFormValue("allow_recording") == "on",
		AllowCaptions:  r.PostFormValue("allow_captions") == "on",
		AllowTransfer:  r.PostFormValue("allow_transfer") == "on",
		AllowPark:      r.PostFormValue("allow_park") == "on",
		Description:    r.PostFormValue("description"),
	}, days, nil
}

func (h *Handler) createPolicyForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	p, days, err := policyForm(r)
	if err != nil {
		h.failPage(w, err)
		return
	}
	p.Name = strings.TrimSpace(r.PostFormValue("name"))
	p.RetentionDays = policy.DefaultRetentionDays
	if days != nil {
		p.RetentionDays = *days
	}
	if err := h.pol.CreatePolicy(r.Context(), p); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, "/admin/policies/"+url.PathEscape(p.Name))
}

func (h *Handler) updatePolicyForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	p, days, err := policyForm(r)
	if err != nil {
		h.failPage(w, err)
		return
	}
	name := r.PathValue("name")
	patch := PolicyPatch{E2EE: &p.E2EE, AllowRecording: &p.AllowRecording, AllowCaptions: &p.AllowCaptions,
		AllowTransfer: &p.AllowTransfer, AllowPark: &p.AllowPark, RetentionDays: days, Description: &p.Description}
	if _, err := h.updatePolicy(r.Context(), name, patch); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, "/admin/policies/"+url.PathEscape(name))
}

func (h *Handler) deletePolicyForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.pol.DeletePolicy(r.Context(), r.PathValue("name")); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, "/admin/policies")
}

func formTarget(r *http.Request) (policy.Target, error) {
	kind, err := policy.ParseTargetKind(r.PostFormValue("kind"))
	if err != nil {
		return policy.Target{}, err
	}
	t := policy.Target{Kind: kind, ID: strings.TrimSpace(r.PostFormValue("id"))}
	if kind == policy.TargetTenant {
		t.ID = ""
	}
	return t, nil
}

func (h *Handler) grantForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	t, err := formTarget(r)
	if err != nil {
		h.failPage(w, err)
		return
	}
	if err := h.grant(r.Context(), policy.Grant{Target: t, Policy: r.PostFormValue("policy")}); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, back(r, "/admin/policies"))
}

func (h *Handler) revokeForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	t, err := formTarget(r)
	if err != nil {
		h.failPage(w, err)
		return
	}
	if err := h.pol.Revoke(r.Context(), t); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, back(r, "/admin/policies"))
}

// userRow is one line of the users page.
type userRow struct {
	User      accounts.User
	Effective policy.Effective
}

func (h *Handler) usersPage(w http.ResponseWriter, r *http.Request, admin accounts.User) {
	ctx := r.Context()
	search := r.URL.Query().Get("search")
	us, err := h.acc.Store().ListUsers(ctx, accounts.Query{Search: search})
	if err != nil {
		h.failPage(w, err)
		return
	}
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	st, err := h.pol.Store().State(ctx, ids)
	if err != nil {
		h.failPage(w, err)
		return
	}
	data := struct {
		Search string
		Users  []userRow
	}{Search: search}
	for _, u := range us {
		data.Users = append(data.Users, userRow{User: u, Effective: st.Effective(u.ID)})
	}
	h.render(w, http.StatusOK, "users", h.view(r, admin, "Users", "users", data))
}

func (h *Handler) userPage(w http.ResponseWriter, r *http.Request, admin accounts.User) {
	id := r.PathValue("id")
	u, err := h.acc.Store().User(r.Context(), id)
	if err != nil {
		h.failPage(w, err)
		return
	}
	e, err := h.effective(r.Context(), id)
	if err != nil {
		h.failPage(w, err)
		return
	}
	h.render(w, http.StatusOK, "user", h.view(r, admin, u.DisplayName, "users", UserDetail{User: u, Effective: e}))
}

func (h *Handler) createUserForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	u, err := h.acc.CreateUser(r.Context(), accounts.NewUser{
		ID:          r.PostFormValue("id"),
		DisplayName: r.PostFormValue("display_name"),
		Email:       r.PostFormValue("email"),
		Password:    r.PostFormValue("password"),
		Admin:       r.PostFormValue("admin") == "1",
	})
	if err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, "/admin/users/"+url.PathEscape(u.ID))
}

func (h *Handler) setEnabledForm(on bool) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, admin accounts.User) {
		id := r.PathValue("id")
		if !on && id == admin.ID {
			h.renderError(w, http.StatusConflict, "Not allowed", "You cannot disable your own account.")
			return
		}
		if err := h.acc.SetEnabled(r.Context(), id, on); err != nil {
			h.failPage(w, err)
			return
		}
		seeOther(w, r, "/admin/users/"+url.PathEscape(id))
	}
}

func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	id := r.PathValue("id")
	if err := h.acc.SetPassword(r.Context(), id, r.PostFormValue("password")); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, "/admin/users/"+url.PathEscape(id))
}

// groupRow is one line of the groups page.
type groupRow struct {
	Group  policy.Group
	Policy string
}

func (h *Handler) groupsPage(w http.ResponseWriter, r *http.Request, admin accounts.User) {
	ctx := r.Context()
	gs, err := h.pol.Store().Groups(ctx)
	if err != nil {
		h.failPage(w, err)
		return
	}
	grants, err := h.pol.Store().Grants(ctx)
	if err != nil {
		h.failPage(w, err)
		return
	}
	data := struct {
		Groups   []groupRow
		NextRank int
	}{NextRank: 1}
	for _, g := range gs {
		row := groupRow{Group: g}
		for _, gr := range grants {
			if gr.Target == policy.GroupTarget(g.Name) {
				row.Policy = gr.Policy
			}
		}
		data.Groups = append(data.Groups, row)
		data.NextRank = max(data.NextRank, g.Rank+1)
	}
	data.NextRank = min(data.NextRank, policy.MaxRank)
	h.render(w, http.StatusOK, "groups", h.view(r, admin, "Groups", "groups", data))
}

func (h *Handler) groupPage(w http.ResponseWriter, r *http.Request, admin accounts.User) {
	d, err := h.groupDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		h.failPage(w, err)
		return
	}
	h.render(w, http.StatusOK, "group", h.view(r, admin, d.Group.Name, "groups", struct{ Detail GroupDetail }{d}))
}

func formRank(r *http.Request) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("rank")))
	if err != nil {
		return 0, policy.ValidateRank(0)
	}
	return n, nil
}

func (h *Handler) createGroupForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	rank, err := formRank(r)
	if err != nil {
		h.failPage(w, err)
		return
	}
	g := policy.Group{Name: strings.TrimSpace(r.PostFormValue("name")), Rank: rank}
	if err := h.pol.CreateGroup(r.Context(), g); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, "/admin/groups/"+url.PathEscape(g.Name))
}

func (h *Handler) groupBack(r *http.Request) string {
	return "/admin/groups/" + url.PathEscape(r.PathValue("name"))
}

func (h *Handler) addMemberForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.addMember(r.Context(), r.PathValue("name"), strings.TrimSpace(r.PostFormValue("user"))); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, h.groupBack(r))
}

func (h *Handler) removeMemberForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.pol.RemoveMember(r.Context(), r.PathValue("name"), r.PostFormValue("user")); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, h.groupBack(r))
}

func (h *Handler) rankForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	rank, err := formRank(r)
	if err != nil {
		h.failPage(w, err)
		return
	}
	if err := h.pol.SetRank(r.Context(), r.PathValue("name"), rank); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, h.groupBack(r))
}

func (h *Handler) deleteGroupForm(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.pol.DeleteGroup(r.Context(), r.PathValue("name")); err != nil {
		h.failPage(w, err)
		return
	}
	seeOther(w, r, "/admin/groups")
}
