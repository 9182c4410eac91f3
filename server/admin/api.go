package admin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"
	"github.com/parley-voip/parley/server/policy"
)

func (h *Handler) apiRoutes() []route {
	return []route{
		{"GET", "/api/admin/whoami", h.apiWhoami},

		{"GET", "/api/admin/policies", h.apiPolicies},
		{"POST", "/api/admin/policies", h.apiCreatePolicy},
		{"GET", "/api/admin/policies/{name}", h.apiPolicy},
		{"PATCH", "/api/admin/policies/{name}", h.apiUpdatePolicy},
		{"DELETE", "/api/admin/policies/{name}", h.apiDeletePolicy},

		{"GET", "/api/admin/grants", h.apiGrants},
		{"PUT", "/api/admin/grants", h.apiGrant},
		{"DELETE", "/api/admin/grants/tenant", h.apiRevokeTenant},
		{"DELETE", "/api/admin/grants/{kind}/{id}", h.apiRevoke},
		{"GET", "/api/admin/effective/{user}", h.apiEffective},

		{"GET", "/api/admin/groups", h.apiGroups},
		{"POST", "/api/admin/groups", h.apiCreateGroup},
		{"GET", "/api/admin/groups/{name}", h.apiGroup},
		{"PATCH", "/api/admin/groups/{name}", h.apiUpdateGroup},
		{"DELETE", "/api/admin/groups/{name}", h.apiDeleteGroup},
		{"GET", "/api/admin/groups/{name}/members", h.apiMembers},
		{"PUT", "/api/admin/groups/{name}/members/{user}", h.apiAddMember},
		{"DELETE", "/api/admin/groups/{name}/members/{user}", h.apiRemoveMember},

		{"GET", "/api/admin/users", h.apiUsers},
		{"POST", "/api/admin/users", h.apiCreateUser},
		{"GET", "/api/admin/users/{id}", h.apiUser},
		{"POST", "/api/admin/users/{id}/disable", h.apiSetEnabled(false)},
		{"POST", "/api/admin/users/{id}/enable", h.apiSetEnabled(true)},
		{"POST", "/api/admin/users/{id}/password", h.apiResetPassword},
	}
}

// PolicyDetail is a policy with the grants that name it.
type PolicyDetail struct {
	Policy policy.Policy  `json:"policy"`
	Grants []policy.Grant `json:"grants"`
}

// EffectiveView is a user's effective policy with its reason and the user's
// groups, for `policy effective` and the portal.
type EffectiveView struct {
	policy.Effective
	Reason string         `json:"reason"`
	Groups []policy.Group `json:"groups"`
}

// GroupDetail is a group with its members and its grant, if any.
type GroupDetail struct {
	Group   policy.Group `json:"group"`
	Members []string     `json:"members"`
	Policy  string       `json:"policy,omitempty"` // granted policy
}

// UserDetail is a user with their groups and effective policy.
type UserDetail struct {
	User      accounts.User `json:"user"`
	Effective EffectiveView `json:"effective"`
}

func (h *Handler) apiWhoami(w http.ResponseWriter, _ *http.Request, admin accounts.User) {
	httpx.WriteJSON(w, http.StatusOK, admin)
}

func (h *Handler) apiPolicies(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	ps, err := h.pol.Store().Policies(r.Context())
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"policies": ps})
}

func (h *Handler) policyDetail(ctx context.Context, name string) (PolicyDetail, error) {
	p, err := h.pol.Store().Policy(ctx, name)
	if err != nil {
		return PolicyDetail{}, err
	}
	all, err := h.pol.Store().Grants(ctx)
	if err != nil {
		return PolicyDetail{}, err
	}
	d := PolicyDetail{Policy: p, Grants: []policy.Grant{}}
	for _, g := range all {
		if g.Policy == name {
			d.Grants = append(d.Grants, g)
		}
	}
	return d, nil
}

func (h *Handler) apiPolicy(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	d, err := h.policyDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d)
}

func (h *Handler) apiCreatePolicy(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	var p policy.Policy
	if err := httpx.DecodeJSON(w, r, &p); err != nil {
		h.fail(w, err)
		return
	}
	if err := h.pol.CreatePolicy(r.Context(), p); err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, p)
}

// PolicyPatch changes the fields that are present.
type PolicyPatch struct {
	E2EE           *policy.E2EE `json:"e2ee,omitempty"`
	AllowRecording *bool        `json:"allow_recording,omitempty"`
	AllowCaptions  *bool        `json:"allow_captions,omitempty"`
	AllowTransfer  *bool        `json:"allow_transfer,omitempty"`
	AllowPark      *bool        `json:"allow_park,omitempty"`
	RetentionDays  *int         `json:"retention_days,omitempty"`
	Description    *string      `json:"description,omitempty"`
}

func (h *Handler) apiUpdatePolicy(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	var patch PolicyPatch
	if err := httpx.DecodeJSON(w, r, &patch); err != nil {
		h.fail(w, err)
		return
	}
	p, err := h.updatePolicy(r.Context(), r.PathValue("name"), patch)
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

func (h *Handler) updatePolicy(ctx context.Context, name string, patch PolicyPatch) (policy.Policy, error) {
	p, err := h.pol.Store().Policy(ctx, name)
	if err != nil {
		return policy.Policy{}, err
	}
	if patch.E2EE != nil {
		p.E2EE = *patch.E2EE
	}
	if patch.AllowRecording != nil {
		p.AllowRecording = *patch.AllowRecording
	}
	if patch.AllowCaptions != nil {
		p.AllowCaptions = *patch.AllowCaptions
	}
	if patch.AllowTransfer != nil {
		p.AllowTransfer = *patch.AllowTransfer
	}
	if patch.AllowPark != nil {
		p.AllowPark = *patch.AllowPark
	}
	if patch.RetentionDays != nil {
		p.RetentionDays = *patch.RetentionDays
	}
	if patch.Description != nil {
		p.Description = *patch.Description
	}
	return p, h.pol.UpdatePolicy(ctx, p)
}

func (h *Handler) apiDeletePolicy(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.pol.DeletePolicy(r.Context(), r.PathValue("name")); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiGrants(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	gs, err := h.pol.Store().Grants(r.Context())
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"grants": gs})
}

func (h *Handler) apiGrant(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	var g policy.Grant
	if err := httpx.DecodeJSON(w, r, &g); err != nil {
		h.fail(w, err)
		return
	}
	if err := h.grant(r.Context(), g); err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, g)
}

// grant checks that a user target exists before granting; groups and
// policies are checked by the store.
func (h *Handler) grant(ctx context.Context, g policy.Grant) error {
	if g.Target.Kind == policy.TargetUser {
		if _, err := h.acc.Store().User(ctx, g.Target.ID); err != nil {
			return err
		}
	}
	return h.pol.Grant(ctx, g)
}

func (h *Handler) apiRevokeTenant(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	h.revoke(w, r, policy.Tenant())
}

func (h *Handler) apiRevoke(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	kind, err := policy.ParseTargetKind(r.PathValue("kind"))
	if err != nil {
		h.fail(w, err)
		return
	}
	h.revoke(w, r, policy.Target{Kind: kind, ID: r.PathValue("id")})
}

func (h *Handler) revoke(w http.ResponseWriter, r *http.Request, t policy.Target) {
	if err := h.pol.Revoke(r.Context(), t); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) effective(ctx context.Context, user string) (EffectiveView, error) {
	if _, err := h.acc.Store().User(ctx, user); err != nil {
		return EffectiveView{}, err
	}
	e, err := h.pol.Effective(ctx, user)
	if err != nil {
		return EffectiveView{}, err
	}
	groups, err := h.pol.Store().GroupsOf(ctx, user)
	if err != nil {
		return EffectiveView{}, err
	}
	if groups == nil {
		groups = []policy.Group{}
	}
	return EffectiveView{Effective: e, Reason: e.Reason(), Groups: groups}, nil
}

func (h *Handler) apiEffective(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	v, err := h.effective(r.Context(), r.PathValue("user"))
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, v)
}

func (h *Handler) apiGroups(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	gs, err := h.pol.Store().Groups(r.Context())
	if err != nil {
		h.fail(w, err)
		return
	}
	if gs == nil {
		gs = []policy.Group{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"groups": gs})
}

func (h *Handler) apiCreateGroup(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	var g policy.Group
	if err := httpx.DecodeJSON(w, r, &g); err != nil {
		h.fail(w, err)
		return
	}
	if err := h.pol.CreateGroup(r.Context(), g); err != nil {
		h.fail(w, err)
		return
	}
	g.Members = 0
	httpx.WriteJSON(w, http.StatusCreated, g)
}

func (h *Handler) groupDetail(ctx context.Context, name string) (GroupDetail, error) {
	g, err := h.pol.Store().Group(ctx, name)
	if err != nil {
		return GroupDetail{}, err
	}
	m, err := h.pol.Store().Members(ctx, name)
	if err != nil {
		return GroupDetail{}, err
	}
	gs, err := h.pol.Store().Grants(ctx)
	if err != nil {
		return GroupDetail{}, err
	}
	d := GroupDetail{Group: g, Members: m}
	for _, gr := range gs {
		if gr.Target == policy.GroupTarget(name) {
			d.Policy = gr.Policy
		}
	}
	return d, nil
}

func (h *Handler) apiGroup(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	d, err := h.groupDetail(r.Context(), r.PathValue("name"))
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d)
}

// GroupPatch changes the fields that are present.
type GroupPatch struct {
	Rank *int `json:"rank,omitempty"`
}

func (h *Handler) apiUpdateGroup(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	var patch GroupPatch
	if err := httpx.DecodeJSON(w, r, &patch); err != nil {
		h.fail(w, err)
		return
	}
	name := r.PathValue("name")
	if patch.Rank != nil {
		if err := h.pol.SetRank(r.Context(), name, *patch.Rank); err != nil {
			h.fail(w, err)
			return
		}
	}
	g, err := h.pol.Store().Group(r.Context(), name)
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, g)
}

func (h *Handler) apiDeleteGroup(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.pol.DeleteGroup(r.Context(), r.PathValue("name")); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiMembers(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	m, err := h.pol.Store().Members(r.Context(), r.PathValue("name"))
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"members": m})
}

func (h *Handler) addMember(ctx context.Context, group, user string) error {
	if _, err := h.acc.Store().User(ctx, user); err != nil {
		return err
	}
	return h.pol.AddMember(ctx, group, user)
}

func (h *Handler) apiAddMember(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.addMember(r.Context(), r.PathValue("name"), r.PathValue("user")); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiRemoveMember(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	if err := h.pol.RemoveMember(r.Context(), r.PathValue("name"), r.PathValue("user")); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiUsers(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	q := accounts.Query{Search: r.URL.Query().Get("search")}
	for key, dst := range map[string]*int{"limit": &q.Limit, "offset": &q.Offset} {
		if v := r.URL.Query().Get(key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				httpx.WriteError(w, http.StatusBadRequest, codeBadRequest, fmt.Sprintf("%s must be a non-negative integer", key))
				return
			}
			*dst = n
		}
	}
	us, err := h.acc.Store().ListUsers(r.Context(), q)
	if err != nil {
		h.fail(w, err)
		return
	}
	if us == nil {
		us = []accounts.User{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"users": us})
}

// NewUserRequest is the body of POST /api/admin/users.
type NewUserRequest struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name,omitempty"`
	Email       string `json:"email,omitempty"`
	Password    string `json:"password"`
	Admin       bool   `json:"admin,omitempty"`
}

func (h *Handler) apiCreateUser(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	var req NewUserRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		h.fail(w, err)
		return
	}
	u, err := h.acc.CreateUser(r.Context(), accounts.NewUser{
		ID: req.ID, DisplayName: req.DisplayName, Email: req.Email, Password: req.Password, Admin: req.Admin,
	})
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
}

func (h *Handler) apiUser(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	id := r.PathValue("id")
	u, err := h.acc.Store().User(r.Context(), id)
	if err != nil {
		h.fail(w, err)
		return
	}
	e, err := h.effective(r.Context(), id)
	if err != nil {
		h.fail(w, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, UserDetail{User: u, Effective: e})
}

func (h *Handler) apiSetEnabled(on bool) authedHandler {
	return func(w http.ResponseWriter, r *http.Request, admin accounts.User) {
		id := r.PathValue("id")
		if !on && id == admin.ID {
			httpx.WriteError(w, http.StatusConflict, codeConflict, "you cannot disable your own account")
			return
		}
		if err := h.acc.SetEnabled(r.Context(), id, on); err != nil {
			h.fail(w, err)
			return
		}
		u, err := h.acc.Store().User(r.Context(), id)
		if err != nil {
			h.fail(w, err)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, u)
	}
}

// PasswordRequest is the body of POST /api/admin/users/{id}/password.
type PasswordRequest struct {
	Password string `json:"password"`
}

func (h *Handler) apiResetPassword(w http.ResponseWriter, r *http.Request, _ accounts.User) {
	var req PasswordRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		h.fail(w, err)
		return
	}
	if err := h.acc.SetPassword(r.Context(), r.PathValue("id"), req.Password); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
