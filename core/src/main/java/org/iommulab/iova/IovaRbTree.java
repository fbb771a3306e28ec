package org.iommulab.iova;

/**
 * An intrusive red-black tree of {@link Iova} nodes ordered by {@code pfnLo}, with parent pointers
 * so that in-order neighbours can be walked from any node, as lib/rbtree.c offers with
 * {@code rb_prev}/{@code rb_next}. Only the operations iova.c needs: link a node below a parent
 * found by the caller, erase, first, next, prev.
 *
 * <p>The balancing is the textbook (CLRS) formulation, not lib/rbtree.c's, so the tree's shape
 * can differ from the kernel's; no result depends on the shape, only the number of nodes a search
 * visits does. Not thread-safe: the domain's tree lock guards it.
 */
final class IovaRbTree {

    private Iova root;

    Iova root() {
        return root;
    }

    /** {@code rb_link_node} + {@code rb_insert_color}: {@code node} becomes a leaf below {@code parent}. */
    void link(Iova node, Iova parent, boolean asLeftChild) {
        node.parent = parent;
        node.left = null;
        node.right = null;
        if (parent == null) {
            root = node;
        } else if (asLeftChild) {
            parent.left = node;
        } else {
            parent.right = node;
        }
        insertFixup(node);
    }

    /** Forgets every node at once, as a domain teardown does. */
    void clear() {
        root = null;
    }

    /** {@code rb_first}: the lowest node, or null when the tree is empty. */
    Iova first() {
        return root == null ? null : leftmost(root);
    }

    /** {@code rb_next}: the in-order successor, or null. */
    static Iova next(Iova node) {
        if (node.right != null) {
            return leftmost(node.right);
        }
        Iova child = node;
        Iova p = node.parent;
        while (p != null && child == p.right) {
            child = p;
            p = p.parent;
        }
        return p;
    }

    /** {@code rb_prev}: the in-order predecessor, or null. */
    static Iova prev(Iova node) {
        if (node.left != null) {
            Iova n = node.left;
            while (n.right != null) {
                n = n.right;
            }
            return n;
        }
        Iova child = node;
        Iova p = node.parent;
        while (p != null && child == p.left) {
            child = p;
            p = p.parent;
        }
        return p;
    }

    private static Iova leftmost(Iova node) {
        Iova n = node;
        while (n.left != null) {
            n = n.left;
        }
        return n;
    }

    /** {@code rb_erase}: unlinks {@code z}; every other node keeps its identity. */
    void erase(Iova z) {
        Iova x;
        Iova xParent;
        boolean removedRed;
        if (z.left == null || z.right == null) {
            removedRed = z.red;
            x = z.left != null ? z.left : z.right;
            xParent = z.parent;
            replace(z, x);
        } else {
            Iova y = leftmost(z.right);
            removedRed = y.red;
            x = y.right;
            if (y.parent == z) {
                xParent = y;
            } else {
                xParent = y.parent;
                replace(y, x);
                y.right = z.right;
                y.right.parent = y;
            }
            replace(z, y);
            y.left = z.left;
            y.left.parent = y;
            y.red = z.red;
        }
        if (!removedRed) {
            eraseFixup(x, xParent);
        }
        z.left = null;
        z.right = null;
        z.parent = null;
    }

    /** Puts {@code v} (possibly null) where {@code u} hangs from its parent. */
    private void replace(Iova u, Iova v) {
        Iova p = u.parent;
        if (p == null) {
            root = v;
        } else if (p.left == u) {
            p.left = v;
        } else {
            p.right = v;
        }
        if (v != null) {
            v.parent = p;
        }
    }

    private static boolean isRed(Iova n) {
        return n != null && n.red;
    }

    private void insertFixup(Iova inserted) {
        Iova n = inserted;
        n.red = true;
        Iova p;
        while ((p = n.parent) != null && p.red) {
            Iova g = p.parent; // a red node is never the root
            if (p == g.left) {
                Iova uncle = g.right;
                if (isRed(uncle)) {
                    p.red = false;
                    uncle.red = false;
                    g.red = true;
                    n = g;
                    continue;
                }
                if (n == p.right) {
                    rotateLeft(p);
                    p = n;
                }
                p.red = false;
                g.red = true;
                rotateRight(g);
                break;
            } else {
                Iova uncle = g.left;
                if (isRed(uncle)) {
                    p.red = false;
                    uncle.red = false;
                    g.red = true;
                    n = g;
                    continue;
                }
                if (n == p.left) {
                    rotateRight(p);
                    p = n;
                }
                p.red = false;
                g.red = true;
                rotateLeft(g);
                break;
            }
        }
        root.red = false;
    }

    /** Restores the black height after a black node was removed above {@code x} (which may be null). */
    private void eraseFixup(Iova removedChild, Iova parentOfX) {
        Iova x = removedChild;
        Iova p = parentOfX;
        while (x != root && !isRed(x)) {
            if (x == p.left) {
                Iova w = p.right;
                if (w.red) {
                    w.red = false;
                    p.red = true;
                    rotateLeft(p);
                    w = p.right;
                }
                if (!isRed(w.left) && !isRed(w.right)) {
                    w.red = true;
                    x = p;
                    p = x.parent;
                } else {
                    if (!isRed(w.right)) {
                        w.left.red = false;
                        w.red = true;
                        rotateRight(w);
                        w = p.right;
                    }
                    w.red = p.red;
                    p.red = false;
                    w.right.red = false;
                    rotateLeft(p);
                    x = root;
                }
            } else {
                Iova w = p.left;
                if (w.red) {
                    w.red = false;
                    p.red = true;
                    rotateRight(p);
                    w = p.left;
                }
                if (!isRed(w.left) && !isRed(w.right)) {
                    w.red = true;
                    x = p;
                    p = x.parent;
                } else {
                    if (!isRed(w.left)) {
                        w.right.red = false;
                        w.red = true;
                        rotateLeft(w);
                        w = p.left;
                    }
                    w.red = p.red;
                    p.red = false;
                    w.left.red = false;
                    rotateRight(p);
                    x = root;
                }
            }
        }
        if (x != null) {
            x.red = false;
        }
    }

    private void rotateLeft(Iova x) {
        Iova y = x.right;
        x.right = y.left;
        if (y.left != null) {
            y.left.parent = x;
        }
        replace(x, y);
        y.left = x;
        x.parent = y;
    }

    private void rotateRight(Iova x) {
        Iova y = x.left;
        x.left = y.right;
        if (y.right != null) {
            y.right.parent = x;
        }
        replace(x, y);
        y.right = x;
        x.parent = y;
    }
}
