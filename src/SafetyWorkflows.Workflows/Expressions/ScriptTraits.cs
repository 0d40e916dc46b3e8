using Acornima.Ast;

namespace SafetyWorkflows.Workflows.Expressions;

/// <summary>
/// What a parsed script can reach, read once from its syntax tree and cached with it. It decides whether the script
/// may run on a pooled engine (<see cref="Reusable"/>), whether the engine's global bindings must be restored after it
/// (<see cref="TouchesGlobals"/>), and which per-evaluation globals it can name (<see cref="Names"/>).
/// </summary>
/// <remarks>
/// A pooled engine keeps its realm (the built-in objects and their prototypes) from one evaluation to the next, and a
/// global snapshot restores only the global bindings. So a script is reusable only when it provably cannot change a
/// shared object or run code that was not analysed: it names none of the reflective or code-running built-ins
/// (<see cref="Denied"/>), reads properties only by literal names, and writes properties only on objects it created
/// itself from a literal (<c>const r = {}; r.total = 1</c>) or on <c>variables</c>. Anything else runs on a fresh
/// engine that is thrown away afterwards, exactly as every script ran before the pool.
/// </remarks>
internal sealed class ScriptTraits
{
    /// <summary>
    /// Names that reach shared objects' internals, define or freeze properties, run unanalysed code or read state another
    /// evaluation left behind (the symbol registry, RegExp's legacy statics).
    /// </summary>
    private static readonly HashSet<string> Denied = new(StringComparer.Ordinal)
    {
        "prototype", "__proto__", "constructor", "getPrototypeOf", "setPrototypeOf", "defineProperty", "defineProperties",
        "getOwnPropertyDescriptor", "getOwnPropertyDescriptors", "getOwnPropertyNames", "getOwnPropertySymbols", "assign",
        "freeze", "seal", "preventExtensions", "call", "apply", "bind", "__defineGetter__", "__defineSetter__",
        "__lookupGetter__", "__lookupSetter__", "captureStackTrace", "globalThis", "eval", "Function", "Reflect", "Proxy",
        "Symbol", "RegExp", "Atomics", "WeakRef", "FinalizationRegistry", "ShadowRealm", "Generator", "AsyncIterator",
        "Iterator", "TypedArray",
    };

    /// <summary>Constructors whose <c>new</c> always gives a fresh object (<c>new Object(x)</c> can return x itself).</summary>
    private static readonly HashSet<string> FreshConstructors = new(StringComparer.Ordinal) { "Array", "Map", "Set", "Date", "Error" };

    private ScriptTraits(HashSet<string> names, bool reusable, bool touchesGlobals)
    {
        Names = names;
        Reusable = reusable;
        TouchesGlobals = touchesGlobals;
    }

    /// <summary>Every identifier and literal property name in the script: the per-evaluation globals it can name.</summary>
    public IReadOnlySet<string> Names { get; }

    /// <summary>The script cannot change anything a later evaluation on the same engine could see, once the globals are restored.</summary>
    public bool Reusable { get; }

    /// <summary>
    /// The script declares top-level bindings, assigns a name it did not declare, or uses promises (queued jobs): the
    /// engine's global snapshot must be restored after it.
    /// </summary>
    public bool TouchesGlobals { get; }

    public static ScriptTraits Of(Script script)
    {
        var walk = new Walk();
        walk.Run(script);
        return new ScriptTraits(walk.Names, walk.Reusable(), walk.TouchesGlobals());
    }

    private sealed class Walk
    {
        public readonly HashSet<string> Names = new(StringComparer.Ordinal);

        // Names bound by a declaration, parameter, catch clause, function or class anywhere in the script.
        private readonly HashSet<string> _bound = new(StringComparer.Ordinal);

        // Bound names that are ever given something other than a fresh literal object.
        private readonly HashSet<string> _notFresh = new(StringComparer.Ordinal);

        // Names declared by `const/let/var x = <fresh object>`.
        private readonly HashSet<string> _freshDeclared = new(StringComparer.Ordinal);

        private readonly List<MemberExpression> _memberWrites = [];
        private readonly List<string> _identifierWrites = [];
        private bool _unsafe;
        private bool _topLevelDeclarations;
        private bool _async;

        public bool Reusable()
        {
            if (_unsafe)
            {
                return false;
            }

            foreach (var write in _memberWrites)
            {
                if (write.Object is not Identifier target || !IsWritableRoot(target.Name))
                {
                    return false;
                }
            }

            return true;
        }

        public bool TouchesGlobals() =>
            _topLevelDeclarations || _async || _identifierWrites.Exists(name => !_bound.Contains(name));

        private bool IsWritableRoot(string name) =>
            name == "variables"
                ? !_bound.Contains(name)
                : _freshDeclared.Contains(name) && !_notFresh.Contains(name);

        public void Run(Script script)
        {
            // Iterative, so an absurdly nested script cannot overflow the stack here.
            var pending = new Stack<(Node Node, bool InFunction)>();
            foreach (var statement in script.Body)
            {
                if (statement is VariableDeclaration or FunctionDeclaration or ClassDeclaration)
                {
                    _topLevelDeclarations = true;
                }

                pending.Push((statement, false));
            }

            while (pending.Count > 0)
            {
                var (node, inFunction) = pending.Pop();
                var childrenInFunction = inFunction || node is IFunction;
                Inspect(node, inFunction);

                foreach (var child in node.ChildNodes)
                {
                    if (child is not null && !IsClassConstructorKey(node, child))
                    {
                        pending.Push((child, childrenInFunction));
                    }
                }
            }
        }

        private static bool IsClassConstructorKey(Node parent, Node child) =>
            parent is MethodDefinition { Computed: false, Key: Identifier { Name: "constructor" } } method && ReferenceEquals(method.Key, child);

        private void Inspect(Node node, bool inFunction)
        {
            switch (node)
            {
                case Identifier identifier:
                    Name(identifier.Name);
                    break;
                case MemberExpression member:
                    if (member.Computed)
                    {
                        LiteralKey(member.Property);
                    }

                    break;
                case Property { Computed: true } property:
                    // A computed key in an object literal only names a property of the new object; in a pattern it reads one.
                    LiteralKey(property.Key);
                    break;
                case Property { Key: Literal { Value: string quoted } }:
                    // { '__proto__': x } sets the new object's prototype, as the unquoted name does.
                    Name(quoted);
                    break;
                case VariableDeclaration declaration:
                    if (declaration.Kind == VariableDeclarationKind.Var && !inFunction)
                    {
                        // var hoists out of blocks to the global object.
                        _topLevelDeclarations = true;
                    }

                    foreach (var declarator in declaration.Declarations)
                    {
                        Declare(declarator.Id, declarator.Init);
                    }

                    break;
                case IFunction function:
                    if (function.Id is { } functionName)
                    {
                        Bind(functionName.Name);
                    }

                    foreach (var parameter in function.Params)
                    {
                        BindPattern(parameter);
                    }

                    if (function.Async || function.Generator)
                    {
                        _async = true;
                    }

                    break;
                case ClassDeclaration { Id: { } className }:
                    Bind(className.Name);
                    break;
                case ClassExpression { Id: { } className }:
                    Bind(className.Name);
                    break;
                case CatchClause { Param: { } param }:
                    BindPattern(param);
                    break;
                case AssignmentExpression assignment:
                    Write(assignment.Left, assignment.Operator == Acornima.Operator.Assignment ? assignment.Right : null);
                    break;
                case UpdateExpression update:
                    Write(update.Argument, null);
                    break;
                case UnaryExpression { Operator: Acornima.Operator.Delete } delete:
                    Write(delete.Argument, null);
                    break;
                case ForInStatement forIn when forIn.Left is not VariableDeclaration:
                    Write(forIn.Left, null);
                    break;
                case ForOfStatement forOf when forOf.Left is not VariableDeclaration:
                    Write(forOf.Left, null);
                    break;
                case ForInStatement { Left: VariableDeclaration declaration }:
                    NotFresh(declaration);
                    break;
                case ForOfStatement { Left: VariableDeclaration declaration }:
                    NotFresh(declaration);
                    break;
                case AwaitExpression or YieldExpression:
                    _async = true;
                    break;
                case ImportExpression or MetaProperty or WithStatement:
                    _unsafe = true;
                    break;
            }
        }

        private void Name(string name)
        {
            Names.Add(name);
            if (Denied.Contains(name))
            {
                _unsafe = true;
            }

            if (name is "Promise" or "then")
            {
                _async = true;
            }
        }

        /// <summary>Only literal keys: a computed name could be any of the denied ones.</summary>
        private void LiteralKey(Node key)
        {
            if (key is not Literal literal)
            {
                _unsafe = true;
            }
            else if (literal.Value is string text)
            {
                Name(text);
            }
        }

        private void Declare(Node id, Expression? init)
        {
            if (id is Identifier identifier)
            {
                Bind(identifier.Name);
                if (init is not null && IsFresh(init))
                {
                    _freshDeclared.Add(identifier.Name);
                }
                else
                {
                    _notFresh.Add(identifier.Name);
                }

                return;
            }

            BindPattern(id);
        }

        private void NotFresh(VariableDeclaration declaration)
        {
            foreach (var declarator in declaration.Declarations)
            {
                BindPattern(declarator.Id);
            }
        }

        private void Write(Node target, Expression? value)
        {
            switch (target)
            {
                case Identifier identifier:
                    _identifierWrites.Add(identifier.Name);
                    if (value is null || !IsFresh(value))
                    {
                        _notFresh.Add(identifier.Name);
                    }

                    break;
                case MemberExpression member:
                    _memberWrites.Add(member);
                    break;
                default:
                    // A destructuring assignment: every name and property it writes.
                    foreach (var node in Descendants(target))
                    {
                        switch (node)
                        {
                            case Identifier identifier when !IsPropertyKey(node, target):
                                _identifierWrites.Add(identifier.Name);
                                _notFresh.Add(identifier.Name);
                                break;
                            case MemberExpression member:
                                _memberWrites.Add(member);
                                break;
                        }
                    }

                    break;
            }
        }

        private void Bind(string name) => _bound.Add(name);

        private void BindPattern(Node pattern)
        {
            if (pattern is Identifier identifier)
            {
                Bind(identifier.Name);
                _notFresh.Add(identifier.Name);
                return;
            }

            foreach (var node in Descendants(pattern))
            {
                if (node is Identifier name)
                {
                    // Over-approximates (property keys and default values count too), which only makes fewer names fresh.
                    Bind(name.Name);
                    _notFresh.Add(name.Name);
                }
            }
        }

        private static bool IsPropertyKey(Node node, Node root)
        {
            foreach (var candidate in Descendants(root))
            {
                if (candidate is Property { Computed: false, Shorthand: false } property && ReferenceEquals(property.Key, node))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsFresh(Expression value) => value switch
        {
            ObjectExpression or ArrayExpression => true,
            NewExpression { Callee: Identifier callee } => FreshConstructors.Contains(callee.Name),
            _ => false,
        };

        private static IEnumerable<Node> Descendants(Node root)
        {
            var pending = new Stack<Node>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                yield return node;
                foreach (var child in node.ChildNodes)
                {
                    if (child is not null)
                    {
                        pending.Push(child);
                    }
                }
            }
        }
    }
}
