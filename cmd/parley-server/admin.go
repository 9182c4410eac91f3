package main

import "github.com/parley-voip/parley/server/accounts"

func newAdmin(id, name, email, password string) accounts.NewUser {
	return accounts.NewUser{ID: id, DisplayName: name, Email: email, Password: password, Admin: true}
}
