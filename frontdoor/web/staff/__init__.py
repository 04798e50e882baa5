"""Staff pages: adviser queues, referrals, delivery problems (server-rendered, usable without JavaScript)."""
