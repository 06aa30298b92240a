/**
 * The SPI of the request log: one {@code RequestRow} per client request (written with the ledger's
 * rows by the batch writer), the filters and cursor of a listing ({@code RequestQuery},
 * {@code RequestPage}) and one request with its attempts ({@code RequestDetail}). Types only; the JDBC
 * implementation is {@code store.JdbcRequestLogStore}. Used by {@code observe.ledger} and the admin
 * and tenant routes.
 */
package dev.sluice.store.requestlog;
