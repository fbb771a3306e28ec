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
        return neighbour(node, false);
    }

    /** {@code rb_prev}: the in-order predecessor, or null. */
    static Iova prev(Iova node) {
        return neighbour(node, true);
    }

    /** The in-order predecessor ({@code before}) or successor of {@code node}. */
    private static Iova neighbour(Iova node, boolean before) {
        Iova down = child(node, before);
        if (down != null) {
            for (Iova n = child(down, !before); n != null; n = child(n, !before)) {
                down = n;
            }
            return down;
        }
        Iova c = node;
        Iova p = node.parent;
        while (p != null && c == child(p, before)) {
            c = p;
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

    private static Iova child(Iova n, boolean left) {
        return left ? n.left : n.right;
    }

    private static void setChild(Iova n, boolean left, Iova c) {
        if (left) {
            n.left = c;
        } else {
            n.right = c;
        }
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
            boolean pLeft = p == g.left;
            Iova uncle = child(g, !pLeft);
            if (isRed(uncle)) {
                p.red = false;
                uncle.red = false;
                g.red = true;
                n = g;
                continue;
            }
            if (n == child(p, !pLeft)) {
                rotate(p, pLeft);
                p = n;
            }
            p.red = false;
            g.red = true;
            rotate(g, !pLeft);
            break;
        }
        root.red = false;
    }

    /** Restores the black height after a black node was removed above {@code x} (which may be null). */
    private void eraseFixup(Iova removedChild, Iova parentOfX) {
        Iova x = removedChild;
        Iova p = parentOfX;
        while (x != root && !isRed(x)) {
            boolean xLeft = x == p.left;
            Iova w = child(p, !xLeft); // never null: x's side is one black short
            if (w.red) {
                w.red = false;
                p.red = true;
                rotate(p, xLeft);
                w = child(p, !xLeft);
            }
            if (!isRed(w.left) && !isRed(w.right)) {
                w.red = true;
                x = p;
                p = x.parent;
            } else {
                if (!isRed(child(w, !xLeft))) {
                    child(w, xLeft).red = false;
                    w.red = true;
                    rotate(w, !xLeft);
                    w = child(p, !xLeft);
                }
                w.red = p.red;
                p.red = false;
                child(w, !xLeft).red = false;
                rotate(p, xLeft);
                x = root;
            }
        }
        if (x != null) {
            x.red = false;
        }
    }

    /** Rotates {@code x} down to the {@code left} (a left rotation) or right; its other child takes its place. */
    private void rotate(Iova x, boolean left) {
        Iova y = child(x, !left);
        Iova inner = child(y, left);
        setChild(x, !left, inner);
        if (inner != null) {
            inner.parent = x;
        }
        replace(x, y);
        setChild(y, left, x);
        x.parent = y;
    }
}
