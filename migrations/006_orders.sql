-- Carts, orders and payments (seed 004, "Carrito de Compras" and "Checkout"). Stock lives on products
-- (CHECK stock >= 0); an order takes it in one transaction that locks the SKUs in id order and
-- decrements with "WHERE stock >= n", so two customers can never both get the last unit.

-- One open cart per customer; `version` moves on every change, so a checkout summary can say which
-- cart it summarised (and a confirmation of an older summary is caught).
CREATE TABLE carts (
  phone       text        PRIMARY KEY,
  version     integer     NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cart_items (
  phone       text        NOT NULL REFERENCES carts (phone) ON DELETE CASCADE,
  product_id  bigint      NOT NULL REFERENCES products (id),
  quantity    integer     NOT NULL CHECK (quantity BETWEEN 1 AND 999),
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (phone, product_id)
);

-- What the shop offers for delivery; the checkout lists the active ones, cheapest first.
CREATE TABLE shipping_options (
  code        text          PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,32}$'),
  name        text          NOT NULL CHECK (length(name) BETWEEN 1 AND 24),
  description text          CHECK (length(description) <= 72),
  cost        numeric(12,2) NOT NULL CHECK (cost >= 0),
  -- orders at or above this subtotal ship free with this option (NULL: never)
  free_from   numeric(12,2) CHECK (free_from >= 0),
  is_active   boolean       NOT NULL DEFAULT true,
  sort_order  integer       NOT NULL DEFAULT 100
);
INSERT INTO shipping_options (code, name, description, cost, free_from, sort_order) VALUES
  ('estandar', 'Envío estándar', 'A todo el país, 2 a 5 días hábiles', 12000, 200000, 1),
  ('express', 'Envío express', 'Mismo día en la ciudad si pides antes de las 2 p. m.', 25000, NULL, 2),
  ('recoger', 'Recoger en tienda', 'Sin costo, listo en 24 horas', 0, NULL, 3);

-- Order numbers customers can read and type ("pedido 1043"): start at 1001.
CREATE SEQUENCE order_numbers START 1001;

CREATE TABLE orders (
  id               bigserial     PRIMARY KEY,
  order_number     bigint        NOT NULL UNIQUE DEFAULT nextval('order_numbers'),
  phone            text          NOT NULL,
  -- derived from the cart summarised at checkout: confirming the same summary twice finds this order
  idempotency_key  text          NOT NULL UNIQUE,
  status           text          NOT NULL DEFAULT 'confirmed'
                   CHECK (status IN ('confirmed', 'paid', 'shipped', 'delivered', 'cancelled')),
  customer_name    text          NOT NULL,
  delivery_address text          NOT NULL,
  shipping_code    text          NOT NULL REFERENCES shipping_options (code),
  shipping_cost    numeric(12,2) NOT NULL CHECK (shipping_cost >= 0),
  subtotal         numeric(12,2) NOT NULL CHECK (subtotal >= 0),
  discount         numeric(12,2) NOT NULL DEFAULT 0 CHECK (discount >= 0),
  total            numeric(12,2) NOT NULL CHECK (total >= 0),
  payment_method   text          NOT NULL CHECK (payment_method IN ('cash_on_delivery', 'bank_transfer', 'payment_link')),
  payment_status   text          NOT NULL DEFAULT 'pending' CHECK (payment_status IN ('pending', 'paid')),
  -- the gateway's id for the payment link, and where the customer pays
  payment_link_id  text          UNIQUE,
  payment_url      text,
  paid_at          timestamptz,
  created_at       timestamptz   NOT NULL DEFAULT now(),
  updated_at       timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_phone ON orders (phone, created_at DESC);

CREATE TABLE order_items (
  order_id    bigint        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id  bigint        NOT NULL REFERENCES products (id),
  -- as sold: later catalogue edits do not rewrite an order
  sku         text          NOT NULL,
  name        text          NOT NULL,
  unit_price  numeric(12,2) NOT NULL CHECK (unit_price >= 0),
  quantity    integer       NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, product_id)
);

-- Every payment notification, once: a gateway retries until it gets a 200, and a replayed event must
-- not mark an order paid twice or tell the customer twice.
CREATE TABLE payment_events (
  provider     text        NOT NULL,
  event_id     text        NOT NULL,
  order_id     bigint      REFERENCES orders (id),
  status       text        NOT NULL,
  amount       numeric(12,2),
  payload      jsonb       NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);
